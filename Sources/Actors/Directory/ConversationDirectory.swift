import Foundation
import Coaching

/// Finds or creates the actor of a conversation, rehydrating it from storage after a restart,
/// and lets idle ones go so memory stays bounded however many conversations exist.
public actor ConversationDirectory {
    private struct Entry {
        let actor: ConversationActor
        var lastUsed: ContinuousClock.Instant
    }

    private let engine: CoachingEngine
    private let store: any ConversationStore
    private let publisher: any EventPublisher
    private let timers: any Clock<Duration>
    private let slaTarget: Duration
    private let idleLimit: Duration
    private let autoSettings: any AutoResponderSettingsSource
    private var live: [String: Entry] = [:]
    /// Loads in progress, so two callers asking for the same cold conversation share one load.
    private var loading: [String: Task<ConversationActor, any Error>] = [:]

    public init(
        engine: CoachingEngine, store: any ConversationStore, publisher: any EventPublisher, timers: any Clock<Duration>, slaTarget: Duration, idleLimit: Duration,
        autoSettings: any AutoResponderSettingsSource = SettingsRegistry()
    ) {
        self.autoSettings = autoSettings
        self.engine = engine
        self.store = store
        self.publisher = publisher
        self.timers = timers
        self.slaTarget = slaTarget
        self.idleLimit = idleLimit
    }

    public var liveCount: Int { live.count }

    /// The conversation's actor; created from storage, or new with `location` and `contact`.
    public func actor(for conversationId: String, location: String, contact: String?) async throws -> ConversationActor {
        if var entry = live[conversationId] {
            if await !entry.actor.isBroken {
                entry.lastUsed = .now
                live[conversationId] = entry
                return entry.actor
            }
            // A failed commit left it ahead of storage: reload the truth.
            live[conversationId] = nil
        }
        if let inFlight = loading[conversationId] { return try await inFlight.value }
        let store = self.store
        let make = { [engine, publisher, timers, slaTarget, autoSettings] (summary: ConversationSummary, history: [ConversationEvent]) in
            ConversationActor(summary: summary, history: history, engine: engine, store: store, publisher: publisher, timers: timers, slaTarget: slaTarget, autoSettings: autoSettings)
        }
        let task = Task<ConversationActor, any Error> {
            if let stored = try await store.load(conversationId: conversationId) {
                let actor = make(stored.summary, stored.history)
                await actor.resumeTimers(now: Date().timeIntervalSince1970)
                return actor
            }
            return make(ConversationSummary(conversationId: conversationId, locationId: location, contactId: contact), [])
        }
        loading[conversationId] = task
        defer { loading[conversationId] = nil }
        let actor = try await task.value
        live[conversationId] = Entry(actor: actor, lastUsed: .now)
        return actor
    }

    /// The live actor, if the conversation is in memory (no load).
    public func liveActor(_ conversationId: String) -> ConversationActor? { live[conversationId]?.actor }

    /// Drops actors idle longer than the limit and not committing. Their state is in storage.
    /// Returns how many left memory.
    @discardableResult
    public func passivateIdle(now: ContinuousClock.Instant = .now) async -> Int {
        var removed = 0
        for (id, entry) in live where now - entry.lastUsed >= idleLimit {
            if await entry.actor.pending == 0 {
                live[id] = nil
                removed += 1
            }
        }
        return removed
    }

    /// Waits until every live actor's commits are done (graceful shutdown).
    public func drainAll() async {
        for entry in live.values { await entry.actor.drain() }
    }
}

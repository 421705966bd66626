import Coaching
import Foundation
import Synchronization

/// Finds or creates the actor of a conversation, rehydrating it from storage (its scheduled
/// work re-armed) after a restart or passivation, and lets idle ones go so that memory stays
/// bounded however many conversations exist.
///
/// **One live actor per conversation.** An entry leaves the directory only when its actor's
/// lease retires it, which happens atomically with the check that no input is inside it; an
/// input that reaches a retired actor is refused and `submit(_:to:…)` asks again. So two actors
/// never commit for one conversation, and a retired actor's timers fire into a refusal.
///
/// **Bounds.** Actors idle for `idleLimit` are passivated by `passivateIdle` (run every minute
/// by the server), unless their scheduled work falls due within `keepWarmFor`. On top, at most
/// `maxLive` actors stay in memory: past that, the least recently used idle ones are retired at
/// once (their work is stored; whoever needs them, or the due-work sweep, loads them again).
/// Only actors busy with an input at that moment can push the count over `maxLive`.
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
    private let keepWarmFor: Duration
    private let autoSettings: any AutoResponderSettingsSource
    private let wallClock: @Sendable () -> Double
    /// Whether this node may run a location's conversations (a cluster node owns some of them;
    /// one node alone, all). Nothing is loaded or created for a location it does not own.
    private let owns: @Sendable (String) -> Bool
    private let calls: (any CallTranscriptSource)?
    private let transcripts: TranscriptPolicy
    public nonisolated let maxLive: Int
    /// The live actors. A lock rather than the actor's isolation, so that the common case — the
    /// conversation is live — is answered without a hop onto the directory (`liveOrNil`); every
    /// change that must not interleave with a suspension still happens on the actor.
    private let live = Mutex<[String: Entry]>([:])
    /// Loads in progress, so two callers asking for the same cold conversation share one load.
    private var loading: [String: Task<ConversationActor?, any Error>] = [:]

    public init(
        engine: CoachingEngine, store: any ConversationStore, publisher: any EventPublisher, timers: any Clock<Duration>, slaTarget: Duration, idleLimit: Duration,
        keepWarmFor: Duration = .seconds(120), maxLive: Int = 50_000, autoSettings: any AutoResponderSettingsSource = SettingsRegistry(),
        wallClock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }, owns: @escaping @Sendable (String) -> Bool = { _ in true },
        calls: (any CallTranscriptSource)? = nil, transcripts: TranscriptPolicy = TranscriptPolicy()
    ) {
        self.owns = owns
        self.calls = calls
        self.transcripts = transcripts
        self.autoSettings = autoSettings
        self.engine = engine
        self.store = store
        self.publisher = publisher
        self.timers = timers
        self.slaTarget = slaTarget
        self.idleLimit = idleLimit
        self.keepWarmFor = keepWarmFor
        self.maxLive = max(1, maxLive)
        self.wallClock = wallClock
    }

    public nonisolated var liveCount: Int { live.withLock { $0.count } }

    /// Whether this node may run the location's conversations now (always, on one node).
    public nonisolated func mayRun(location: String) -> Bool { owns(location) }

    /// The conversation's actor; loaded from storage, or new with `location` and `contact`.
    public nonisolated func actor(for conversationId: String, location: String, contact: String?) async throws -> ConversationActor {
        if let actor = liveOrNil(conversationId) { return actor }
        return try await loadOrCreate(conversationId, location: location, contact: contact)
    }

    private func loadOrCreate(_ conversationId: String, location: String, contact: String?) async throws -> ConversationActor {
        guard owns(location) else { throw ConversationError.notOwned(conversationId) }
        if let actor = try await existing(conversationId) { return actor }
        // Not stored. A caller that waited on the same load may have created it already; the
        // check and the insertion are one locked step, so only one of them creates it. (Should
        // the creator's actor also have committed and been evicted in that instant, the second
        // one's first commit conflicts on the stored `seq`: that input fails, unacknowledged, and
        // its retry finds the stored conversation.)
        let (actor, created): (ConversationActor, Bool) = try live.withLock { l in
            if let entry = l[conversationId], entry.actor.lease.isUsable { return (entry.actor, false) }
            // The location may have been dropped (`dropAll`) while this caller waited.
            guard owns(location) else { throw ConversationError.notOwned(conversationId) }
            let actor = ConversationActor(
                state: ConversationState(conversationId: conversationId, locationId: location, contactId: contact), engine: engine, store: store,
                publisher: publisher, timers: timers, slaTarget: slaTarget, autoSettings: autoSettings, calls: calls, transcripts: transcripts)
            l[conversationId] = Entry(actor: actor, lastUsed: .now)
            return (actor, true)
        }
        if created { evictIfOverLimit() }
        return actor
    }

    /// The live, usable actor of the conversation (marked used), else nil; no hop, no load.
    private nonisolated func liveOrNil(_ conversationId: String) -> ConversationActor? {
        live.withLock { l in
            guard var entry = l[conversationId], entry.actor.lease.isUsable else { return nil }
            entry.lastUsed = .now
            l[conversationId] = entry
            return entry.actor
        }
    }

    /// The conversation's actor if it is live or stored (loading it), else nil: for work that
    /// must not create a conversation (the due-work sweep).
    public func existing(_ conversationId: String) async throws -> ConversationActor? {
        if let actor = liveOrNil(conversationId) { return actor }
        // A failed commit left a live one ahead of storage: reload the truth.
        live.withLock { l in
            if let entry = l[conversationId], !entry.actor.lease.isUsable { l[conversationId] = nil }
        }
        if let inFlight = loading[conversationId] { return try await inFlight.value }
        let task = Task<ConversationActor?, any Error> { [store, engine, publisher, timers, slaTarget, autoSettings, wallClock, owns, calls, transcripts] in
            guard let stored = try await store.load(conversationId: conversationId) else { return nil }
            guard owns(stored.state.locationId) else { throw ConversationError.notOwned(conversationId) }
            let actor = ConversationActor(
                state: stored.state, history: stored.history, scheduled: stored.scheduled, engine: engine, store: store, publisher: publisher,
                timers: timers, slaTarget: slaTarget, autoSettings: autoSettings, calls: calls, transcripts: transcripts)
            await actor.armStoredWork(now: wallClock())
            return actor
        }
        loading[conversationId] = task
        defer { loading[conversationId] = nil }
        guard let actor = try await task.value else { return nil }
        // Checked again under the lock: `dropAll` may have run during the load, and an actor
        // inserted after it would outlive its shard on this node.
        let kept = live.withLock { l in
            guard owns(actor.locationId) else { return false }
            l[conversationId] = Entry(actor: actor, lastUsed: .now)
            return true
        }
        guard kept else {
            actor.lease.markBroken()
            stopTimers(of: actor)
            throw ConversationError.notOwned(conversationId)
        }
        evictIfOverLimit()
        return actor
    }

    /// Applies `input` to the conversation through its one live actor, asking again if the
    /// actor it got was passivated in between, or was broken before the input could be stored
    /// (then it is reloaded from storage). An input whose own commit failed is not retried.
    /// `via`: the actor the caller already holds, tried first (saves a hop onto the directory).
    @discardableResult
    public nonisolated func submit(
        _ input: ConversationInput, to conversationId: String, location: String, contact: String?, receipt: WebhookReceipt? = nil,
        via held: ConversationActor? = nil
    ) async throws -> [ConversationEvent] {
        var passivated = 0
        var broken = 0
        var held = held
        while true {
            let actor: ConversationActor
            if let first = held {
                actor = first
                held = nil
            } else {
                actor = try await self.actor(for: conversationId, location: location, contact: contact)
            }
            do {
                return try await actor.submit(input, receipt: receipt)
            } catch ConversationError.retired where passivated < 100 {
                passivated += 1
            } catch ConversationError.broken where broken < 3 {
                broken += 1
            }
        }
    }

    /// The live actor, if the conversation is in memory (no load).
    public nonisolated func liveActor(_ conversationId: String) -> ConversationActor? {
        live.withLock { $0[conversationId].flatMap { $0.actor.lease.isUsable ? $0.actor : nil } }
    }

    /// Past `maxLive`, retires the least recently used idle actors until a tenth of `maxLive` is
    /// free again, so that eviction runs once per many loads rather than on each.
    private func evictIfOverLimit() {
        // Sorted outside the lock: every webhook's look-up takes it.
        guard let candidates = live.withLock({ l in l.count > maxLive ? l.map { ($0.key, $0.value.lastUsed) } : nil }) else { return }
        let oldestFirst = candidates.sorted { $0.1 < $1.1 }.map(\.0)
        let target = maxLive - maxLive / 10
        retire(oldestFirst, until: { $0 <= target }) { $0.actor.lease.retireIfIdle() }
    }

    /// Retires actors idle longer than the limit, not busy, and with no scheduled work due soon.
    /// Their state and work are in storage. Returns how many left memory.
    @discardableResult
    public func passivateIdle(now: ContinuousClock.Instant = .now) -> Int {
        let keepIfDueBefore = wallClock() + keepWarmFor.inSeconds
        let idle = { (entry: Entry) in now - entry.lastUsed >= self.idleLimit }
        let candidates = live.withLock { l in l.filter { idle($0.value) }.map(\.key) }
        // Checked again under the lock: a look-up may have used one since.
        return retire(candidates) { idle($0) && $0.actor.lease.retireIfIdle(keepIfDueBefore: keepIfDueBefore) }
    }

    /// Retires, in the order of `ids`, the live entries `retirable` lets go (it takes the lease),
    /// until `enough` says so of the live count; stops their timers. Returns how many left.
    @discardableResult
    private func retire(_ ids: [String], until enough: (Int) -> Bool = { _ in false }, _ retirable: (Entry) -> Bool) -> Int {
        let retired: [ConversationActor] = live.withLock { l in
            var out: [ConversationActor] = []
            for id in ids {
                guard !enough(l.count) else { break }
                if let entry = l[id], retirable(entry) {
                    l[id] = nil
                    out.append(entry.actor)
                }
            }
            return out
        }
        for actor in retired { stopTimers(of: actor) }
        return retired.count
    }

    /// A retired actor's timers would fire into a refusal; stopping them frees them now.
    private func stopTimers(of actor: ConversationActor) {
        Task { await actor.cancelTimers() }
    }

    /// Takes out of service, at once, the actors of the locations `matching` selects (a cluster
    /// node lost their shard): they refuse every later input, their timers stop, and whoever
    /// owns them next loads them from storage. Inputs inside them now finish or fail at the
    /// store's fence. Returns how many left.
    @discardableResult
    public func dropAll(locations matching: @Sendable (String) -> Bool) -> Int {
        let dropped: [ConversationActor] = live.withLock { l in
            let ids = l.filter { matching($0.value.actor.locationId) }.map(\.key)
            return ids.compactMap { l.removeValue(forKey: $0)?.actor }
        }
        for actor in dropped {
            actor.lease.markBroken()
            stopTimers(of: actor)
        }
        return dropped.count
    }

    /// Waits until every live actor's commits are done (graceful shutdown).
    public func drainAll() async {
        for entry in live.withLock({ Array($0.values) }) { await entry.actor.drain() }
    }
}

import Coaching
import Foundation
import Synchronization

/// Finds, loads or opens the one live actor of each negotiation session, and lets idle ones go.
///
/// The rules are the conversations' (`ConversationDirectory`): an entry leaves only when its
/// actor's lease retires it, atomically with the check that no input is inside it, and an input
/// that reaches a retired or broken actor asks again. A session lives on the node that owns its
/// location, like its conversations.
public actor NegotiationDirectory {
    private struct Entry {
        let actor: NegotiationActor
        var lastUsed: ContinuousClock.Instant
    }

    private let advisor: NegotiationAdvisor
    private let store: any NegotiationStore
    private let publisher: any NegotiationPublisher
    private let reader: any ConversationEventReader
    private let idleLimit: Duration
    private let owns: @Sendable (String) -> Bool
    private let live = Mutex<[String: Entry]>([:])
    private var loading: [String: Task<NegotiationActor?, any Error>] = [:]

    public init(
        advisor: NegotiationAdvisor, store: any NegotiationStore, publisher: any NegotiationPublisher, reader: any ConversationEventReader,
        idleLimit: Duration = .seconds(600), owns: @escaping @Sendable (String) -> Bool = { _ in true }
    ) {
        self.advisor = advisor
        self.store = store
        self.publisher = publisher
        self.reader = reader
        self.idleLimit = idleLimit
        self.owns = owns
    }

    public nonisolated var liveCount: Int { live.withLock { $0.count } }

    /// The live, usable actor (marked used), else nil; no load.
    public nonisolated func liveActor(_ id: String) -> NegotiationActor? {
        live.withLock { l in
            guard var entry = l[id], entry.actor.lease.isUsable else { return nil }
            entry.lastUsed = .now
            l[id] = entry
            return entry.actor
        }
    }

    /// The session's actor if live or stored (loading it), else nil.
    public func existing(_ id: String) async throws -> NegotiationActor? {
        if let actor = liveActor(id) { return actor }
        live.withLock { l in
            if let entry = l[id], !entry.actor.lease.isUsable { l[id] = nil }
        }
        if let inFlight = loading[id] { return try await inFlight.value }
        let task = Task<NegotiationActor?, any Error> { [store, advisor, publisher, reader, owns] in
            guard let stored = try await store.load(negotiationId: id) else { return nil }
            guard owns(stored.locationId) else { throw ConversationError.notOwned(stored.streamId) }
            return NegotiationActor(session: stored, advisor: advisor, store: store, publisher: publisher, reader: reader)
        }
        loading[id] = task
        defer { loading[id] = nil }
        guard let actor = try await task.value else { return nil }
        let kept: NegotiationActor = live.withLock { l in
            // Another caller may have opened it meanwhile: theirs is the one.
            if let entry = l[id], entry.actor.lease.isUsable { return entry.actor }
            l[id] = Entry(actor: actor, lastUsed: .now)
            return actor
        }
        if kept === actor { catchUp(actor) }
        return kept
    }

    /// A session loaded from storage reads what its conversations committed since its stored
    /// cursors: whatever a feed lost to a crash (a won deal, the first prices) is read now,
    /// not only at the conversation's next commit.
    private nonisolated func catchUp(_ actor: NegotiationActor) {
        Task {
            let session = await actor.current
            guard !session.status.isClosed else { return }
            for id in session.conversationIds {
                _ = try? await actor.submit(.conversation(conversationId: id, events: [], at: Date().timeIntervalSince1970))
            }
        }
    }

    /// The session `id`: live, stored, or opened now with these facts (which an existing session
    /// keeps). The caller links its conversation with `.link`.
    public func open(_ id: String, location: String, opportunityId: String?, listingPrice: Double, side: Side, openedBy: String, at: Double) async throws -> NegotiationActor {
        guard owns(location) else { throw ConversationError.notOwned(NegotiationSession.streamId(id)) }
        if let actor = try await existing(id) { return actor }
        return live.withLock { l in
            if let entry = l[id], entry.actor.lease.isUsable { return entry.actor }
            let session = NegotiationSession(id: id, locationId: location, opportunityId: opportunityId, listingPrice: listingPrice, side: side, openedAt: at, openedBy: openedBy)
            let actor = NegotiationActor(session: session, advisor: advisor, store: store, publisher: publisher, reader: reader)
            l[id] = Entry(actor: actor, lastUsed: .now)
            return actor
        }
    }

    /// Applies `input` to the stored or live session through its one live actor, asking again
    /// if that actor was passivated or broken before the input was stored.
    @discardableResult
    public nonisolated func submit(_ input: NegotiationInput, to id: String, via held: NegotiationActor? = nil) async throws -> [ConversationEvent] {
        var retries = 0
        var held = held
        while true {
            let actor: NegotiationActor
            if let first = held {
                actor = first
                held = nil
            } else {
                guard let found = try await existing(id) else { throw NegotiationError.notFound(id) }
                actor = found
            }
            do {
                return try await actor.submit(input)
            } catch ConversationError.retired where retries < 100 {
                retries += 1
            } catch ConversationError.broken where retries < 3 {
                retries += 1
            }
        }
    }

    /// Retires actors idle longer than the limit; their sessions are stored.
    @discardableResult
    public func passivateIdle(now: ContinuousClock.Instant = .now) -> Int {
        live.withLock { l in
            let idle = l.filter { now - $0.value.lastUsed >= idleLimit && $0.value.actor.lease.retireIfIdle() }.map(\.key)
            for id in idle { l[id] = nil }
            return idle.count
        }
    }

    /// Takes the sessions of the locations `matching` selects out of service (their shard moved).
    @discardableResult
    public func dropAll(locations matching: @Sendable (String) -> Bool) -> Int {
        live.withLock { l in
            let ids = l.filter { matching($0.value.actor.locationId) }.map(\.key)
            for id in ids { l.removeValue(forKey: id)?.actor.lease.markBroken() }
            return ids.count
        }
    }

    /// Waits until every live session's commit is done (graceful shutdown).
    public func drainAll() async {
        for entry in live.withLock({ Array($0.values) }) { await entry.actor.drain() }
    }
}

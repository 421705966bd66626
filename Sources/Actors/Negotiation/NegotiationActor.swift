import Coaching
import Foundation

/// Owns one negotiation session: its offers from every linked conversation, its coaching state
/// and its ordered, gap-free event stream on `negotiation:{id}`.
///
/// **Ordering.** As in `ConversationActor`, an input is applied synchronously (no suspension
/// between reading and changing the session), so inputs apply in the order their calls reach the
/// actor; then the commit is chained behind the previous one, so storage and subscribers see the
/// events in `seq` order. Reads a linked conversation's missed events before applying (that is
/// the only suspension before the apply, and the apply re-checks the cursor after it).
/// **Failures.** A failed commit breaks the actor (its memory is ahead of storage): every later
/// input fails and the directory reloads the session from storage.
public actor NegotiationActor {
    public nonisolated let negotiationId: String
    public nonisolated let locationId: String
    /// Passivation and breakage, as for conversations.
    public nonisolated let lease = ActorLease()
    let advisor: NegotiationAdvisor
    private let store: any NegotiationStore
    private let publisher: any NegotiationPublisher
    private let reader: any ConversationEventReader

    var session: NegotiationSession
    var state: NegotiationState
    /// The commit on its way to the store; the next one waits for it.
    private var tail: Task<Void, any Error>?

    public init(session: NegotiationSession, advisor: NegotiationAdvisor, store: any NegotiationStore, publisher: any NegotiationPublisher, reader: any ConversationEventReader) {
        self.negotiationId = session.id
        self.locationId = session.locationId
        self.session = session
        self.advisor = advisor
        self.store = store
        self.publisher = publisher
        self.reader = reader
        self.state = Self.replay(session)
    }

    /// The coaching state from the stored turns: the coach is deterministic, so the same turns
    /// give the same state.
    static func replay(_ s: NegotiationSession) -> NegotiationState {
        var state = NegotiationState(listingPrice: s.listingPrice, represented: s.side)
        for turn in s.turns { state.apply(turn.negotiationTurn) }
        return state
    }

    public var current: NegotiationSession { session }

    /// Applies `input`, commits its events and publishes them; returns them once durable.
    @discardableResult
    public func submit(_ input: NegotiationInput) async throws -> [ConversationEvent] {
        try lease.enter(session.streamId)
        defer { lease.leave() }
        var pending: [ConversationEvent] = []
        switch input {
        case .conversation(let id, let events, _):
            pending = try await unread(id, given: events)
        case .link(let id, _, _) where !session.conversationIds.contains(id):
            pending = try await unread(id, given: [])
        default:
            break
        }
        guard let commit = try prepare(input, unread: pending) else { return [] }
        let previous = tail
        let stream = session.streamId
        let task = Task { [store, publisher] in
            // A commit never overtakes the one before it, nor follows one that failed (a gap):
            // its caller gets `broken`, as if the actor had been broken before it came, and
            // the directory tries it again on a reloaded actor.
            if let previous {
                do { try await previous.value } catch { throw ConversationError.broken(stream) }
            }
            try await store.commit(commit)
            await publisher.publish(commit)
        }
        tail = task
        do {
            try await task.value
        } catch {
            lease.markBroken()
            throw error
        }
        return commit.events
    }

    /// The linked conversation's events after the session's cursor: those given, preceded by
    /// any the session missed (read from storage), in order.
    private func unread(_ conversationId: String, given: [ConversationEvent]) async throws -> [ConversationEvent] {
        let cursor = session.cursors[conversationId] ?? 0
        var out: [ConversationEvent] = []
        if (given.first?.seq ?? .max) > cursor + 1 {
            var after = cursor
            let stop = given.first?.seq ?? .max
            while after + 1 < stop {
                let page = try await reader.events(conversationId: conversationId, after: after, limit: 500)
                guard let last = page.last else { break }
                out += page.filter { $0.seq < stop }
                after = last.seq
                if page.count < 500 { break }
            }
        }
        return out + given
    }

    /// Applies `input` to the session and builds its commit; nil when nothing changed. Restores
    /// the session if a payload cannot be encoded.
    private func prepare(_ input: NegotiationInput, unread: [ConversationEvent]) throws -> NegotiationCommit? {
        let saved = (session, state)
        do {
            let payloads = try apply(input, unread: unread)
            // Cursors alone moving (events with nothing for the coach) are not worth a commit:
            // from a stored cursor behind them, the session reads those events again, and again
            // finds nothing in them.
            var unchanged = saved.0
            unchanged.cursors = session.cursors
            guard !payloads.isEmpty || session != unchanged else { return nil }
            var events: [ConversationEvent] = []
            for (kind, data) in payloads {
                session.head += 1
                events.append(ConversationEvent(conversationId: session.streamId, seq: session.head, at: input.at, kind: kind, data: data))
            }
            return NegotiationCommit(events: events, session: session, sessionJSON: try PayloadEncoder.encode(session))
        } catch {
            (session, state) = saved
            throw error
        }
    }

    /// Waits for the commit in flight (graceful shutdown).
    public func drain() async {
        _ = await tail?.result
    }
}

import Actors
import Coaching
import Foundation
import Logging
import Synchronization

/// Connects conversations and their negotiation sessions, both ways:
/// - a conversation's commit, once durable, goes to its session (`feed`), which reads the new
///   messages, calls and opportunity changes (opening the session when prices were first
///   discussed, or a pipeline stage said so);
/// - a session's fresh advice goes to each linked conversation as a `negotiation.updated` event
///   of its own stream (`pushAdvice`).
///
/// Both hops run in tasks of their own, never inside the commit that caused them: a session's
/// commit waits for nothing of a conversation's, nor the other way round, so neither can wait
/// on the other. A hop lost to a crash costs nothing durable: the session reads a
/// conversation from its stored cursor, so the next commit (or the next load) reads what was
/// missed; the advice is on the session's topic, durably, either way.
final class NegotiationRouter: Sendable {
    private let directories = Mutex<(negotiations: NegotiationDirectory?, conversations: ConversationDirectory?)>((nil, nil))
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Set once both directories exist (each needs the router's publisher to be built).
    func attach(negotiations: NegotiationDirectory, conversations: ConversationDirectory) {
        directories.withLock { $0 = (negotiations, conversations) }
    }

    var negotiations: NegotiationDirectory? { directories.withLock { $0.negotiations } }

    /// A conversation with a session committed: the session reads it.
    func feed(_ commit: ConversationCommit) async {
        let s = commit.state
        guard let id = s.negotiationId, let last = commit.events.last, let negotiations else { return }
        do {
            let actor: NegotiationActor
            if let found = try await negotiations.existing(id) {
                actor = found
            } else {
                guard let price = s.listingPrice else { return }
                let stage = commit.events.lazy.filter { $0.kind == .dealUpdated }.compactMap { try? $0.decode(DealPayload.self).stageId }.first
                actor = try await negotiations.open(
                    id, location: s.locationId, opportunityId: s.opportunityId, listingPrice: price, side: .seller, openedBy: stage.map { "stage:" + $0 } ?? "prices",
                    at: last.at)
            }
            let session = await actor.current
            // A closed deal reads nothing more: the conversation stops feeding it.
            guard !session.status.isClosed else { return ended(session, conversation: s.conversationId) }
            let linked = session.conversationIds.contains(s.conversationId)
            let input: NegotiationInput =
                linked ? .conversation(conversationId: s.conversationId, events: commit.events, at: last.at) : .link(conversationId: s.conversationId, by: "livehub", at: last.at)
            try await negotiations.submit(input, to: id, via: actor)
            let after = await actor.current
            if after.status.isClosed { for c in after.conversationIds { ended(after, conversation: c) } }
        } catch NegotiationError.closed {
            // Closed meanwhile: the next commit of the conversation finds it so.
        } catch {
            logger.warning("negotiation feed failed", metadata: ["negotiation": "\(id)", "conversation": "\(s.conversationId)", "error": "\(error)"])
        }
    }

    /// Tells a conversation its session closed (off this task: the conversation may be the
    /// one whose commit is being fed).
    private func ended(_ session: NegotiationSession, conversation id: String) {
        guard let conversations = directories.withLock({ $0.conversations }) else { return }
        Task {
            _ = try? await conversations.submit(.negotiationEnded(negotiationId: session.id, at: Date().timeIntervalSince1970), to: id, location: session.locationId, contact: nil)
        }
    }

    /// A session's fresh advice, to each of its conversations. Pushes of two commits may
    /// overtake each other: a conversation keeps the newest by its `seq`.
    func pushAdvice(_ commit: NegotiationCommit) {
        let updates = commit.events.filter { $0.kind == .negotiationUpdated }
        guard !updates.isEmpty, let conversations = directories.withLock({ $0.conversations }) else { return }
        let session = commit.session
        let logger = self.logger
        Task {
            for e in updates {
                guard let update = try? e.decode(NegotiationUpdatePayload.self) else { continue }
                for id in session.conversationIds {
                    do {
                        try await conversations.submit(.negotiationAdvice(update, seq: e.seq, at: e.at), to: id, location: session.locationId, contact: nil)
                    } catch {
                        logger.debug("negotiation advice not shown", metadata: ["conversation": "\(id)", "error": "\(error)"])
                    }
                }
            }
        }
    }
}

/// The conversations' publisher: the bus first; then, off the commit path, the negotiation
/// session and an automatic draft for a hot lead.
struct FeedingPublisher: EventPublisher {
    let inner: CommitPublisher
    let router: NegotiationRouter
    let hotLeads: HotLeadDrafts

    func publish(_ commit: ConversationCommit) async {
        await inner.publish(commit)
        hotLeads.committed(commit)
        guard commit.state.negotiationId != nil, !commit.events.isEmpty else { return }
        let router = self.router
        Task { await router.feed(commit) }
    }
}

/// The sessions' publisher: the bus (every node's `negotiation:{id}` watchers), then the advice
/// to the linked conversations.
struct SessionPublisher: NegotiationPublisher {
    let bus: any EventBus
    let router: NegotiationRouter

    func publish(_ commit: NegotiationCommit) async {
        await bus.publish(.negotiation(NegotiationEvents(commit)))
        router.pushAdvice(commit)
    }
}

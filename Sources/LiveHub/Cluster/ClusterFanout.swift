import Actors
import Logging
import Synchronization

/// Delivers commits to this node's sockets without a gap, whichever node committed them.
///
/// Redis pub/sub is fire-and-forget, so the database is the truth: for every conversation that
/// someone on this node watches, the fan-out remembers the last `seq` it delivered. A commit
/// that starts further on is preceded by the missing events, read from storage; one that
/// repeats delivered events is trimmed. After Redis comes back (`catchUp`), every watched
/// conversation is read forward from its last delivered `seq`. Delivery and the remembered
/// `seq` change under one lock, so concurrent paths (this node's actors, the Redis reader, a
/// catch-up) still hand each socket a conversation's events in order.
package final class ClusterFanout: Sendable {
    private let delivered = Mutex<[String: UInt64]>([:])
    let hub: EventHub
    let conversations: any ConversationRepository
    /// The summary clients see of a stored state (the auto-responder mode in force).
    let summarize: @Sendable (ConversationState) -> ConversationSummary
    let logger: Logger

    init(hub: EventHub, conversations: any ConversationRepository, summarize: @escaping @Sendable (ConversationState) -> ConversationSummary, logger: Logger) {
        self.hub = hub
        self.conversations = conversations
        self.summarize = summarize
        self.logger = logger
    }

    /// Conversations whose delivered `seq` is remembered (for tests and metrics).
    var trackedCount: Int { delivered.withLock { $0.count } }

    /// Delivers a commit's events after any that are missing, once each.
    func deliver(_ c: CommittedEvents) async {
        guard let first = c.events.first, let lastSeq = c.events.last?.seq else { return }
        let id = c.summary.conversationId
        let watched = hub.subscriberCount("conversation:" + id) > 0
        let gapAfter: UInt64? = delivered.withLock { d in
            guard watched else {
                // Nobody here watches the conversation (any more): nothing to keep gap-free.
                d[id] = nil
                hub.publish(c)
                return nil
            }
            guard let known = d[id] else {
                // Nothing delivered here yet: a watcher that subscribed got its replay from storage.
                d[id] = lastSeq
                hub.publish(c)
                return nil
            }
            if first.seq > known + 1 { return known }
            publishNewer(c.events, summary: c.summary, after: known, &d)
            return nil
        }
        guard let known = gapAfter else { return }
        let missing = await read(id, after: known, through: first.seq - 1)
        delivered.withLock { d in publishNewer(missing + c.events, summary: c.summary, after: d[id] ?? known, &d) }
    }

    /// A watcher's replay of a conversation ended at `seq`: from here on, a later start is a gap.
    func replayed(_ conversationId: String, through seq: UInt64) {
        delivered.withLock { d in
            if d[conversationId] == nil { d[conversationId] = seq }
        }
    }

    /// Reads every watched conversation forward from what was delivered (after the bus was
    /// down), and forgets conversations nobody here watches any more.
    func catchUp() async {
        let tracked = delivered.withLock { d in
            d = d.filter { hub.subscriberCount("conversation:" + $0.key) > 0 }
            return d
        }
        for (id, known) in tracked {
            do {
                guard let state = try await conversations.state(conversationId: id), state.head > known else { continue }
                let missing = await read(id, after: known, through: state.head)
                let summary = summarize(state)
                delivered.withLock { d in publishNewer(missing, summary: summary, after: d[id] ?? known, &d) }
            } catch {
                logger.warning("catch-up read failed", metadata: ["conversation": .string(id), "error": .string("\(error)")])
            }
        }
    }

    /// Publishes the events newer than `after` that follow it without a gap, and remembers the
    /// last one. Called under the lock.
    private func publishNewer(_ events: [ConversationEvent], summary: ConversationSummary, after: UInt64, _ d: inout [String: UInt64]) {
        var next = after + 1
        var run: [ConversationEvent] = []
        for e in events.sorted(by: { $0.seq < $1.seq }) where e.seq >= next {
            guard e.seq == next else { break }
            run.append(e)
            next += 1
        }
        guard let last = run.last else { return }
        d[summary.conversationId] = last.seq
        hub.publish(CommittedEvents(events: run, summary: summary))
    }

    /// Stored events `after < seq ≤ through`, a page at a time; what could be read on failure.
    private func read(_ id: String, after: UInt64, through: UInt64) async -> [ConversationEvent] {
        var out: [ConversationEvent] = []
        var cursor = after
        do {
            while cursor < through {
                let page = try await conversations.events(conversationId: id, after: cursor, limit: 1_000)
                guard let end = page.last else { break }
                out += page.filter { $0.seq <= through }
                cursor = end.seq
            }
        } catch {
            logger.warning("gap read failed", metadata: ["conversation": .string(id), "error": .string("\(error)")])
        }
        return out
    }
}

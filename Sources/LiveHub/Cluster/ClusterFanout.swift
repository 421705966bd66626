import Actors
import Logging
import Synchronization

/// Delivers commits — of conversations and of negotiation sessions — to this node's sockets
/// without a gap, whichever node committed them.
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

    /// Streams whose delivered `seq` is remembered (for tests and metrics).
    var trackedCount: Int { delivered.withLock { $0.count } }

    /// Delivers a commit's events after any that are missing, once each.
    func deliver(_ c: CommittedEvents) async {
        let summary = c.summary
        await deliver(key: summary.conversationId, topic: "conversation:" + summary.conversationId, c.events) { [hub] in
            hub.publish(CommittedEvents(events: $0, summary: summary))
        }
    }

    /// Delivers a negotiation session's events after any that are missing, once each. Its
    /// stream id (`negotiation:{id}`) is its key and its topic.
    func deliver(_ n: NegotiationEvents) async {
        let key = NegotiationSession.streamId(n.negotiationId)
        await deliver(key: key, topic: key, n.events) { [hub] in
            hub.publish(NegotiationEvents(negotiationId: n.negotiationId, locationId: n.locationId, events: $0))
        }
    }

    /// The gap-free delivery of one stream's events: `key` names the stream in storage and in
    /// `delivered`, `topic` is where its watchers are, `publish` hands events to the hub.
    private func deliver(key: String, topic: String, _ events: [ConversationEvent], publish: @escaping @Sendable ([ConversationEvent]) -> Void) async {
        guard let first = events.first, let lastSeq = events.last?.seq else { return }
        let watched = hub.subscriberCount(topic) > 0
        let gapAfter: UInt64? = delivered.withLock { d in
            guard watched else {
                // Nobody here watches the stream (any more): nothing to keep gap-free.
                d[key] = nil
                publish(events)
                return nil
            }
            guard let known = d[key] else {
                // Nothing delivered here yet: a watcher that subscribed got its replay from storage.
                d[key] = lastSeq
                publish(events)
                return nil
            }
            if first.seq > known + 1 { return known }
            publishNewer(events, key: key, after: known, &d, publish)
            return nil
        }
        guard let known = gapAfter else { return }
        let missing = await read(key, after: known, through: first.seq - 1)
        delivered.withLock { d in publishNewer(missing + events, key: key, after: d[key] ?? known, &d, publish) }
    }

    /// A watcher's replay of a stream ended at `seq`: from here on, a later start is a gap.
    func replayed(_ key: String, through seq: UInt64) {
        delivered.withLock { d in
            if d[key] == nil { d[key] = seq }
        }
    }

    /// Reads every watched stream forward from what was delivered (after the bus was down), and
    /// forgets streams nobody here watches any more.
    func catchUp() async {
        let tracked = delivered.withLock { d in
            d = d.filter { hub.subscriberCount(Self.topic($0.key)) > 0 }
            return d
        }
        for (key, known) in tracked {
            do {
                if key.hasPrefix(Self.negotiationPrefix) {
                    let id = String(key.dropFirst(Self.negotiationPrefix.count))
                    let missing = await read(key, after: known, through: .max)
                    delivered.withLock { d in
                        publishNewer(missing, key: key, after: d[key] ?? known, &d) { [hub] in hub.publish(NegotiationEvents(negotiationId: id, locationId: "", events: $0)) }
                    }
                    continue
                }
                guard let state = try await conversations.state(conversationId: key), state.head > known else { continue }
                let missing = await read(key, after: known, through: state.head)
                let summary = summarize(state)
                delivered.withLock { d in
                    publishNewer(missing, key: key, after: d[key] ?? known, &d) { [hub] in hub.publish(CommittedEvents(events: $0, summary: summary)) }
                }
            } catch {
                logger.warning("catch-up read failed", metadata: ["stream": .string(key), "error": .string("\(error)")])
            }
        }
    }

    private static let negotiationPrefix = "negotiation:"
    /// A stream's topic: a session's stream id is its topic; a conversation's is prefixed.
    private static func topic(_ key: String) -> String { key.hasPrefix(negotiationPrefix) ? key : "conversation:" + key }

    /// Publishes the events newer than `after` that follow it without a gap, and remembers the
    /// last one. Called under the lock.
    private func publishNewer(_ events: [ConversationEvent], key: String, after: UInt64, _ d: inout [String: UInt64], _ publish: ([ConversationEvent]) -> Void) {
        var next = after + 1
        var run: [ConversationEvent] = []
        for e in events.sorted(by: { $0.seq < $1.seq }) where e.seq >= next {
            guard e.seq == next else { break }
            run.append(e)
            next += 1
        }
        guard let last = run.last else { return }
        d[key] = last.seq
        publish(run)
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

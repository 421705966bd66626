import Actors
import Foundation
import Synchronization

/// One WebSocket connection: its claims, its subscriptions and its outbound queue.
///
/// **Resume without gaps or duplicates.** `subscribe` with `since: N` first registers with the
/// hub in a *replaying* state — live frames are held in a buffer — then reads N+1…head from
/// storage and queues them, then switches to *live*: buffered frames newer than the last
/// replayed `seq` are queued in order, and from then on a frame is queued only if its `seq` is
/// newer than the last one sent. Events are published only after they are committed, so an
/// event is either in storage when the replay reads it, or arrives live after registration, or
/// both — the `seq` check removes the overlap.
final class Connection: TopicSubscriber {
    enum Subscription {
        /// Live frames are held in `State.replayBuffers` until the replay is queued.
        case replaying
        case live(lastSeq: UInt64?)
    }

    private struct State {
        var subscriptions: [String: Subscription] = [:]
        /// Frames that arrived while their topic replayed, kept apart from `subscriptions` so
        /// each append mutates the array in place (an array inside an enum payload is copied on
        /// every append: quadratic over a long replay).
        var replayBuffers: [String: [ServerFrame]] = [:]
        var errorTimes: [Double] = []
        /// The socket is gone (`closeAll`): nothing may subscribe any more.
        var closed = false
        /// Work streaming to this connection alone (drafts), cancelled when it closes.
        var streams: [UUID: Task<Void, Never>] = [:]

        mutating func remove(_ topic: String) {
            subscriptions.removeValue(forKey: topic)
            replayBuffers.removeValue(forKey: topic)
        }
    }

    let token: AccessToken
    let queue: OutboundQueue
    private let hub: EventHub
    /// The socket, told when the queue stops being empty (nil without one: tools and tests take
    /// the queue themselves).
    private let output = Mutex<(any WebSocketOutput)?>(nil)
    private let state = Mutex(State())
    /// Replays longer than this are refused with a `resync` (`history_too_long`): the client pages
    /// the history over HTTP instead. Half the queue, so a replay and the frames arriving behind
    /// it fit: a replay that overflowed would be refused the same way on every retry.
    var maxReplay: Int { queue.limit / 2 }

    init(token: AccessToken, hub: EventHub, queueLimit: Int) {
        self.token = token
        self.hub = hub
        self.queue = OutboundQueue(limit: queueLimit)
    }

    var topics: [String] { state.withLock { Array($0.subscriptions.keys) } }

    // MARK: Delivery from the hub (never blocks)

    /// Queues `frames`, all of one topic, in order: one commit's events reach a connection in
    /// one call (one lock, one look-up), however many there are.
    func deliver(_ frames: [ServerFrame]) {
        guard let topic = frames.first?.topic else { return }
        let effects: QueueEffects = state.withLock { s in
            switch s.subscriptions[topic] {
            case .replaying:
                // What waits behind a replay is bounded like the queue: past it the topic resyncs.
                guard s.replayBuffers[topic, default: []].count + frames.count <= queue.limit else {
                    s.remove(topic)
                    return enqueue(&s, [.resync(topic, reason: "slow_consumer")]).overflowing(topic)
                }
                s.replayBuffers[topic, default: []].append(contentsOf: frames)
                return QueueEffects()
            case .live(var last):
                let newer = Self.newer(frames, after: &last)
                guard !newer.isEmpty else { return QueueEffects() }
                s.subscriptions[topic] = .live(lastSeq: last)
                return enqueue(&s, newer)
            case nil:
                return QueueEffects()
            }
        }
        perform(effects)
    }

    /// What queueing asked for, done once the state lock is released (the hub and the writer
    /// must never be called under it).
    struct QueueEffects {
        var startWriter = false
        var overflowed: [String] = []

        func overflowing(_ topic: String) -> QueueEffects {
            var e = self
            e.overflowed.append(topic)
            return e
        }
    }

    /// Queues `frames` while the caller holds the subscription state, so that nothing of a topic
    /// can be queued between them: per topic, the queue's order is the order of the frames. A
    /// topic whose frame overflows the queue is dropped (the queue put a `resync` in its place)
    /// and its later frames here are not queued.
    private func enqueue(_ s: inout State, _ frames: [ServerFrame]) -> QueueEffects {
        let (overflowed, action) = queue.enqueueAndSchedule(frames)
        for topic in overflowed { s.remove(topic) }
        return QueueEffects(startWriter: action == .startWriter, overflowed: overflowed)
    }

    /// The frames not already sent: those without a `seq`, and those newer than `last`, which
    /// follows along.
    private static func newer(_ frames: [ServerFrame], after last: inout UInt64?) -> [ServerFrame] {
        frames.filter { frame in
            if let seq = frame.seq, let l = last, seq <= l { return false }
            last = frame.seq ?? last
            return true
        }
    }

    private func perform(_ effects: QueueEffects) {
        for topic in effects.overflowed {
            hub.overflowed()
            hub.unsubscribe(self, from: topic)
        }
        if effects.startWriter { output.withLock { $0 }?.framesWaiting() }
    }

    func attach(_ socket: any WebSocketOutput) {
        output.withLock { $0 = socket }
    }

    /// Queues a frame that is no topic's event (hello, pong, errors, subscription answers);
    /// a topic's frame that overflows drops the topic until the client resubscribes.
    func send(_ frame: ServerFrame) {
        perform(state.withLock { enqueue(&$0, [frame]) })
    }

    func mayRead(_ summary: ConversationSummary) -> Bool {
        TopicAccess.mayRead(token, conversation: summary)
    }

    var viewer: ConversationViewer? { ConversationViewer(user: token.userId, role: token.role.rawValue) }

    func mayRead(_ conversation: WatchedConversation) -> Bool {
        TopicAccess.mayRead(token, location: conversation.locationId, assignedTo: conversation.assignedTo, takenOverBy: conversation.takenOverBy)
    }

    func revoke(_ topic: String) {
        state.withLock { $0.remove(topic) }
        send(.error("forbidden", "access to \(topic) ended: the conversation was reassigned", op: nil, topic: topic))
    }

    // MARK: Subscriptions

    /// Starts buffering live frames for `topic`.
    /// Refused (false) once the connection closed: an op still running when the socket went
    /// away must not leave the connection subscribed in the hub.
    @discardableResult
    func beginReplay(_ topic: String) -> Bool {
        let open = state.withLock { s in
            guard !s.closed else { return false }
            s.subscriptions[topic] = .replaying
            s.replayBuffers[topic] = []
            return true
        }
        guard open else { return false }
        hub.subscribe(self, to: topic)
        // `closeAll` may have run between the two steps and missed this subscription.
        if state.withLock({ $0.closed }) {
            hub.unsubscribe(self, from: topic)
            return false
        }
        return true
    }

    /// Queues `subscribed`, the replayed frames, then the buffered live frames that are newer,
    /// and goes live — all under the subscription state, so no live frame can slip in between.
    /// Returns false (nothing queued) if the subscription was dropped meanwhile (overflow).
    @discardableResult
    func finishReplay(_ topic: String, subscribed: ServerFrame, replayed: [ServerFrame], lastSeq: UInt64?) -> Bool {
        let (live, effects): (Bool, QueueEffects) = state.withLock { s in
            guard case .replaying = s.subscriptions[topic] else { return (false, QueueEffects()) }
            let buffer = s.replayBuffers.removeValue(forKey: topic) ?? []
            var last = lastSeq
            let newer = Self.newer(buffer, after: &last)
            s.subscriptions[topic] = .live(lastSeq: last)
            let effects = enqueue(&s, [subscribed] + replayed + newer)
            return (!effects.overflowed.contains(topic), effects)
        }
        perform(effects)
        return live
    }

    func unsubscribe(_ topic: String) {
        hub.unsubscribe(self, from: topic)
        state.withLock { $0.remove(topic) }
    }

    func isSubscribed(_ topic: String) -> Bool { state.withLock { $0.subscriptions[topic] != nil } }

    func closeAll() {
        let (topics, streams) = state.withLock { s in
            s.closed = true
            defer {
                s.subscriptions.removeAll()
                s.replayBuffers.removeAll()
                s.streams.removeAll()
            }
            return (Array(s.subscriptions.keys), Array(s.streams.values))
        }
        for topic in topics { hub.unsubscribe(self, from: topic) }
        for task in streams { task.cancel() }
        queue.close()
    }

    /// Runs `work` for this connection alone, cancelled if the connection closes first (a
    /// draft stops asking the model for text nobody will read). False once it closed.
    @discardableResult
    func stream(_ work: @escaping @Sendable () async -> Void) -> Bool {
        let id = UUID()
        return state.withLock { s in
            guard !s.closed else { return false }
            s.streams[id] = Task { [weak self] in
                await work()
                self?.state.withLock { _ = $0.streams.removeValue(forKey: id) }
            }
            return true
        }
    }

    // MARK: Error budget

    /// Records an error frame; true when the client exceeded 100 errors in a minute.
    func recordError(now: Double) -> Bool {
        state.withLock { s in
            s.errorTimes.append(now)
            s.errorTimes.removeAll { now - $0 > 60 }
            return s.errorTimes.count > 100
        }
    }
}

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

        mutating func remove(_ topic: String) {
            subscriptions.removeValue(forKey: topic)
            replayBuffers.removeValue(forKey: topic)
        }
    }

    let token: AccessToken
    let queue: OutboundQueue
    private let hub: EventHub
    /// Writes a batch loop to the socket (set once the socket is open).
    private let writeLoop = Mutex<(@Sendable () async -> Void)?>(nil)
    /// The writer running now, if any: started on demand, so an idle connection has none.
    private let writer = Mutex<Task<Void, Never>?>(nil)
    private let state = Mutex(State())
    /// Replays longer than this are refused with a `resync`: the client should page the history
    /// over HTTP instead.
    static let maxReplay = 10_000

    init(token: AccessToken, hub: EventHub, queueLimit: Int) {
        self.token = token
        self.hub = hub
        self.queue = OutboundQueue(limit: queueLimit)
    }

    var topics: [String] { state.withLock { Array($0.subscriptions.keys) } }

    // MARK: Delivery from the hub (never blocks)

    func deliver(_ frame: ServerFrame) {
        guard let topic = frame.topic else { return }
        enum Outcome { case queue(ServerFrame), held, overflow }
        let outcome: Outcome = state.withLock { s in
            switch s.subscriptions[topic] {
            case .replaying:
                // What waits behind a replay is bounded like the queue: past it the topic resyncs.
                guard s.replayBuffers[topic, default: []].count < queue.limit else {
                    s.remove(topic)
                    return .overflow
                }
                s.replayBuffers[topic, default: []].append(frame)
                return .held
            case .live(let last):
                if let seq = frame.seq, let last, seq <= last { return .held }
                s.subscriptions[topic] = .live(lastSeq: frame.seq ?? last)
                return .queue(frame)
            case nil:
                return .held
            }
        }
        switch outcome {
        case .queue(let frame): send(frame)
        case .held: break
        case .overflow:
            hub.overflowed()
            hub.unsubscribe(self, from: topic)
            send(.resync(topic, reason: "slow_consumer"))
        }
    }


    func attachWriter(_ loop: @escaping @Sendable () async -> Void) {
        writeLoop.withLock { $0 = loop }
    }

    /// Closes the queue and waits for the writer, so nothing writes to the socket afterwards.
    func finishWriting() async {
        queue.close()
        await writer.withLock { $0 }?.value
    }

    /// Queues a frame; on overflow the topic is dropped from the hub until the client resubscribes.
    func send(_ frame: ServerFrame) {
        let (outcome, action) = queue.enqueueAndSchedule(frame)
        if action == .startWriter, let loop = writeLoop.withLock({ $0 }) {
            writer.withLock { $0 = Task { await loop() } }
        }
        if case .overflow(let topic) = outcome {
            hub.overflowed()
            hub.unsubscribe(self, from: topic)
            state.withLock { $0.remove(topic) }
        }
    }

    func mayRead(_ summary: ConversationSummary) -> Bool {
        TopicAccess.mayRead(token, conversation: summary)
    }

    func revoke(_ topic: String) {
        state.withLock { $0.remove(topic) }
        send(.error("forbidden", "access to \(topic) ended: the conversation was reassigned", op: nil))
    }

    // MARK: Subscriptions

    /// Starts buffering live frames for `topic`.
    func beginReplay(_ topic: String) {
        state.withLock {
            $0.subscriptions[topic] = .replaying
            $0.replayBuffers[topic] = []
        }
        hub.subscribe(self, to: topic)
    }

    /// Queues the replayed frames, then the buffered live frames that are newer, and goes live.
    /// Returns false if the subscription was dropped meanwhile (overflow).
    @discardableResult
    func finishReplay(_ topic: String, replayed: [ServerFrame], lastSeq: UInt64?) -> Bool {
        for frame in replayed { send(frame) }
        let pending: [ServerFrame]? = state.withLock { s in
            guard case .replaying = s.subscriptions[topic] else { return nil }
            let buffer = s.replayBuffers.removeValue(forKey: topic) ?? []
            var last = lastSeq
            var out: [ServerFrame] = []
            for frame in buffer {
                if let seq = frame.seq, let l = last, seq <= l { continue }
                out.append(frame)
                last = frame.seq ?? last
            }
            s.subscriptions[topic] = .live(lastSeq: last)
            return out
        }
        guard let pending else { return false }
        for frame in pending { send(frame) }
        return true
    }

    func unsubscribe(_ topic: String) {
        hub.unsubscribe(self, from: topic)
        state.withLock { $0.remove(topic) }
    }

    func isSubscribed(_ topic: String) -> Bool { state.withLock { $0.subscriptions[topic] != nil } }

    func closeAll() {
        for topic in topics { hub.unsubscribe(self, from: topic) }
        state.withLock {
            $0.subscriptions.removeAll()
            $0.replayBuffers.removeAll()
        }
        queue.close()
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

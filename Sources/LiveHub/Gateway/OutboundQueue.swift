import Synchronization

/// A connection's bounded queue of frames waiting for the socket.
///
/// Fan-out enqueues without waiting; one writer task per connection drains the queue into the
/// socket. When a topic's frame arrives at a full queue, every queued frame of that topic is
/// dropped and a `resync` takes their place: the client resubscribes with `since` and loses
/// nothing. Control frames (pong, error, subscribed) may exceed the limit by a small margin and
/// are dropped beyond it, so a client that never reads holds at most `limit + controlMargin`
/// frames in memory.
final class OutboundQueue: Sendable {
    enum Outcome: Equatable { case queued, dropped, overflow(topic: String) }

    private struct State {
        var frames: [ServerFrame] = []
        var head = 0
        var waiter: CheckedContinuation<Void, Never>?
        var closed = false
        var count: Int { frames.count - head }
    }

    let limit: Int
    let controlMargin = 64
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = limit
    }

    var count: Int { state.withLock { $0.count } }

    func enqueue(_ frame: ServerFrame) -> Outcome {
        let (outcome, waiter) = state.withLock { s -> (Outcome, CheckedContinuation<Void, Never>?) in
            guard !s.closed else { return (.dropped, nil) }
            var outcome = Outcome.queued
            if let topic = frame.topic, s.count >= limit {
                s.frames = s.frames[s.head...].filter { $0.topic != topic }
                s.head = 0
                s.frames.append(ServerFrame.object(["type": .string("resync"), "topic": .string(topic), "reason": .string("slow_consumer")]))
                outcome = .overflow(topic: topic)
            } else if frame.topic == nil, s.count >= limit + controlMargin {
                return (.dropped, nil)
            } else {
                s.frames.append(frame)
            }
            let w = s.waiter
            s.waiter = nil
            return (outcome, w)
        }
        waiter?.resume()
        return outcome
    }

    /// Waits for frames and takes all of them; nil once closed and empty.
    func next() async -> [ServerFrame]? {
        while true {
            let batch = state.withLock { s -> [ServerFrame]?? in
                if s.count > 0 {
                    let out = Array(s.frames[s.head...])
                    s.frames.removeAll(keepingCapacity: true)
                    s.head = 0
                    return .some(out)
                }
                return s.closed ? .some(nil) : .none
            }
            if let batch { return batch }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.count > 0 || s.closed { return true }
                    s.waiter = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        }
    }

    func close() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.closed = true
            let w = s.waiter
            s.waiter = nil
            return w
        }
        waiter?.resume()
    }
}

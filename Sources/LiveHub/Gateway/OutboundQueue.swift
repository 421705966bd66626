import Synchronization

/// A connection's bounded queue of frames waiting for the socket.
///
/// Fan-out enqueues without waiting; the socket's writer (a drain on its event loop) empties
/// the queue into the socket. The writer runs only while there is something to write —
/// `enqueueAndSchedule` reports `startWriter` when one is needed and `takeOrStop` ends it when
/// the queue is empty — so an idle connection costs no work. When a topic's frame arrives at a
/// full queue, every queued frame of that topic is dropped and a `resync` takes their place: the client resubscribes with `since` and loses
/// nothing. Control frames (pong, error, subscribed) may exceed the limit by a small margin and
/// are dropped beyond it, so a client that never reads holds at most `limit + controlMargin`
/// frames in memory.
final class OutboundQueue: Sendable {
    /// What the caller of `enqueueAndSchedule` must do.
    enum Action: Equatable { case none, startWriter }

    private struct State {
        var frames: [ServerFrame] = []
        var head = 0
        var closed = false
        var writerRunning = false
        /// Waiting in `waitForRoom` until the writer has emptied the queue.
        var roomWaiters: [CheckedContinuation<Void, Never>] = []
        var count: Int { frames.count - head }
    }

    let limit: Int
    let controlMargin = 64
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = limit
    }

    var count: Int { state.withLock { $0.count } }

    /// Queues `frames` in order under one lock. A topic whose frame finds the queue full is
    /// dropped (its queued frames make way for one `resync`) and its later frames here are not
    /// queued. Returns the topics dropped so, and whether a writer must start.
    func enqueueAndSchedule(_ frames: [ServerFrame]) -> (overflowed: [String], action: Action) {
        state.withLock { s -> ([String], Action) in
            guard !s.closed else { return ([], .none) }
            var overflowed: [String] = []
            for frame in frames {
                if let topic = frame.topic, overflowed.contains(topic) { continue }
                if let topic = frame.topic, s.count >= limit {
                    s.frames = s.frames[s.head...].filter { $0.topic != topic }
                    s.head = 0
                    s.frames.append(ServerFrame.resync(topic, reason: "slow_consumer"))
                    overflowed.append(topic)
                } else if frame.topic == nil, s.count >= limit + controlMargin {
                    continue
                } else {
                    s.frames.append(frame)
                }
            }
            guard !s.writerRunning else { return (overflowed, .none) }
            s.writerRunning = true
            return (overflowed, .startWriter)
        }
    }

    /// For the writer: everything queued, or nil — and the writer marked stopped — when the
    /// queue is empty or closed. Checked under the lock, so a frame enqueued at the same moment
    /// either is returned here or starts a new writer.
    func takeOrStop() -> [ServerFrame]? {
        let (out, waiters): ([ServerFrame]?, [CheckedContinuation<Void, Never>]) = state.withLock { s in
            guard s.count > 0, !s.closed else {
                s.writerRunning = false
                return (nil, [])
            }
            let out = Array(s.frames[s.head...])
            s.frames.removeAll(keepingCapacity: false)
            s.head = 0
            defer { s.roomWaiters = [] }
            return (out, s.roomWaiters)
        }
        for w in waiters { w.resume() }
        return out
    }

    /// Returns once fewer than half of `limit` frames wait (at once if so already), or the queue
    /// is closed: what answers a client's ops waits here, so a client that sends faster than it
    /// reads slows down instead of losing answers to the control margin.
    func waitForRoom() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let wait = state.withLock { s in
                guard !s.closed, s.count >= limit / 2 else { return false }
                s.roomWaiters.append(c)
                return true
            }
            if !wait { c.resume() }
        }
    }

    func close() {
        let waiters = state.withLock { s in
            s.closed = true
            defer { s.roomWaiters = [] }
            return s.roomWaiters
        }
        for w in waiters { w.resume() }
    }
}

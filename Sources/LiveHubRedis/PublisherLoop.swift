import Dispatch
import Logging
import Synchronization

/// The publisher's thread and the queue it drains: the part of `RedisPublisher` that owns the
/// hiredis connection. Shared state lives in a `Mutex`; the connection itself is a local of
/// `run()`, so only the thread ever touches it.
final class PublisherLoop: Sendable {
    struct Message: Sendable {
        let channel: [UInt8]
        let payload: [UInt8]
    }

    typealias Completion = CheckedContinuation<Result<Void, RedisError>, Never>

    private struct Pending {
        let message: Message
        let completion: Completion
    }

    private struct State {
        var queue: [Pending] = []
        var closed = false
        /// The thread is (about to be) blocked on `wakeup`; the next enqueue must signal it.
        var sleeping = false
    }

    /// Bounds on one pipelined batch, so that a burst does not build one giant write buffer and
    /// an I/O error fails a bounded number of publishes.
    private static let maxBatchCount = 1_024
    private static let maxBatchBytes = 8 << 20
    private static let connectTimeout = Duration.seconds(1)
    private static let ioTimeout = Duration.seconds(5)

    private let endpoint: RedisEndpoint
    private let logger: Logger
    private let state = Mutex(State())
    /// Counts wake-ups; signalled only when the thread said it is sleeping, so a burst of
    /// publishes costs one wake-up, and a signal sent just before the wait is never lost.
    private let wakeup = DispatchSemaphore(value: 0)

    init(endpoint: RedisEndpoint, logger: Logger) {
        self.endpoint = endpoint
        self.logger = logger
    }

    func enqueue(_ message: Message, _ completion: Completion) {
        let (accepted, wake) = state.withLock { state -> (Bool, Bool) in
            guard !state.closed else { return (false, false) }
            state.queue.append(Pending(message: message, completion: completion))
            defer { state.sleeping = false }
            return (true, state.sleeping)
        }
        if !accepted { completion.resume(returning: .failure(.closed)) }
        if wake { wakeup.signal() }
    }

    func close() {
        let (pending, wake) = state.withLock { state -> ([Pending], Bool) in
            guard !state.closed else { return ([], false) }
            state.closed = true
            defer { state.queue = []; state.sleeping = false }
            return (state.queue, state.sleeping)
        }
        for item in pending { item.completion.resume(returning: .failure(.closed)) }
        if wake { wakeup.signal() }
    }

    /// The thread's body: returns after `close()`.
    func run() {
        var connection: RedisContext? = nil
        var healthy = true
        while let batch = nextBatch() {
            do throws(RedisError) {
                let live: RedisContext
                if let connection {
                    live = connection
                } else {
                    do throws(RedisError) {
                        live = try connect()
                    } catch {
                        for item in batch { item.completion.resume(returning: .failure(error)) }
                        throw error
                    }
                    connection = live
                    if !healthy { logger.info("Redis publisher reconnected") }
                    healthy = true
                }
                try send(batch, over: live)
            } catch {
                // hiredis contexts are dead after an error: drop it, reconnect on the next batch.
                connection = nil
                if healthy { logger.warning("Redis publishing failed: \(error)") }
                healthy = false
            }
        }
        logger.debug("Redis publisher closed")
    }

    /// The next batch, blocking while the queue is empty; nil once closed.
    private func nextBatch() -> [Pending]? {
        while true {
            enum Step { case batch([Pending]), wait, stop }
            let step = state.withLock { state -> Step in
                if state.closed { return .stop }
                if state.queue.isEmpty {
                    state.sleeping = true
                    return .wait
                }
                var count = 0
                var bytes = 0
                for item in state.queue {
                    if count == Self.maxBatchCount || (count > 0 && bytes + item.message.payload.count > Self.maxBatchBytes) {
                        break
                    }
                    count += 1
                    bytes += item.message.payload.count
                }
                if count == state.queue.count {
                    defer { state.queue = [] }
                    return .batch(state.queue)
                }
                defer { state.queue.removeFirst(count) }
                return .batch(Array(state.queue.prefix(count)))
            }
            switch step {
            case .batch(let batch): return batch
            case .stop: return nil
            case .wait: wakeup.wait()
            }
        }
    }

    private func connect() throws(RedisError) -> RedisContext {
        try RedisContext.connect(to: endpoint, connectTimeout: Self.connectTimeout, ioTimeout: Self.ioTimeout)
    }

    /// Pipelines the batch and completes every publish. Throws (after failing the publishes that
    /// got no reply) when the connection must be dropped.
    private func send(_ batch: [Pending], over connection: RedisContext) throws(RedisError) {
        var answered = 0
        do throws(RedisError) {
            for item in batch {
                try connection.append([Array("PUBLISH".utf8), item.message.channel, item.message.payload])
            }
            for item in batch {
                let reply = try connection.nextReply()
                answered += 1
                if case .error(let message) = reply {
                    item.completion.resume(returning: .failure(.reply(message)))
                } else {
                    item.completion.resume(returning: .success(()))
                }
            }
        } catch {
            for item in batch[answered...] { item.completion.resume(returning: .failure(error)) }
            throw error
        }
    }
}

import LiveHub
import Logging
import Synchronization

/// The event bus of a cluster node: what this node publishes is delivered to its own
/// subscribers at once, in the caller's task (as `LocalEventBus` does), then published on one
/// Redis channel for the other nodes; what they publish arrives from Redis and is delivered
/// here in arrival order.
///
/// Redis pub/sub is fire-and-forget: a message published while a node is cut off is lost to
/// it. Nothing depends on that message, because the database is the truth: after every
/// reconnection the node runs its `onReconnect` handlers, which read what it missed. A publish
/// that fails (or a message dropped because Redis could not keep up) is not retried; instead,
/// the first publish that succeeds afterwards is preceded by a *resync* envelope, on which every
/// node runs the same handlers — the nodes that stayed subscribed catch up too.
package final class RedisEventBus: EventBus {
    /// Messages waiting for the publisher, oldest first, and whether a task is draining them.
    private struct Outgoing {
        var queue: [[UInt8]] = []
        var draining = false
        var dropped = 0
        /// Messages were dropped since the last resync envelope.
        var owesResync = false
    }

    private let local = LocalEventBus()
    private let node: String
    private let channel: String
    private let publisher: RedisPublisher
    private let subscriber: RedisSubscriber
    private let outgoing = Mutex(Outgoing())
    private let reconnectHandlers = Mutex<[@Sendable () async -> Void]>([])
    private let reader = Mutex<Task<Void, Never>?>(nil)
    private let logger: Logger
    /// Past this many unsent messages (Redis slow or gone), the oldest are dropped.
    static let maxQueued = 100_000

    package init(endpoint: RedisEndpoint, node: String, channel: String = "livehub:bus", logger: Logger) {
        self.node = node
        self.channel = channel
        self.logger = logger
        publisher = RedisPublisher(endpoint: endpoint, logger: logger)
        subscriber = RedisSubscriber(endpoint: endpoint, channels: [channel], logger: logger)
    }

    /// Messages dropped because Redis could not take them (for metrics and tests).
    package var droppedCount: Int { outgoing.withLock { $0.dropped } }

    /// Starts reading the other nodes' messages.
    package func start() {
        let events = subscriber.events
        let task = Task { [weak self] in
            var cutOff = false
            for await event in events {
                guard let self else { return }
                switch event {
                case .message(_, let payload):
                    await self.receive(payload)
                case .subscribed:
                    if cutOff {
                        cutOff = false
                        self.logger.notice("event bus reconnected; catching up from the database")
                        for handler in self.reconnectHandlers.withLock({ $0 }) { await handler() }
                    }
                case .disconnected(let reason):
                    if !cutOff { self.logger.warning("event bus lost Redis; events published meanwhile are read from the database", metadata: ["error": .string(reason)]) }
                    cutOff = true
                }
            }
        }
        reader.withLock { $0 = task }
    }

    package func close() {
        subscriber.close()
        publisher.close()
        reader.withLock { $0?.cancel() }
    }

    package func publish(_ message: BusMessage) async {
        await local.publish(message)
        let bytes: [UInt8]?
        do {
            bytes = try BusWire.encode(message, origin: node)
        } catch {
            logger.error("bus message could not be encoded", metadata: ["error": .string("\(error)")])
            return
        }
        guard let bytes else { return }
        let startDrain = outgoing.withLock { o -> Bool in
            if o.queue.count >= Self.maxQueued {
                o.queue.removeFirst(o.queue.count - Self.maxQueued + 1)
                o.dropped += 1
                o.owesResync = true
            }
            o.queue.append(bytes)
            guard !o.draining else { return false }
            o.draining = true
            return true
        }
        if startDrain { Task { await self.drain() } }
    }

    package func subscribe(_ subscriber: @escaping @Sendable (BusMessage) async -> Void) {
        local.subscribe(subscriber)
    }

    package func onReconnect(_ handler: @escaping @Sendable () async -> Void) {
        reconnectHandlers.withLock { $0.append(handler) }
    }

    /// Publishes what is queued, in order, until nothing is; one drain at a time keeps the order.
    private func drain() async {
        while true {
            let (queued, owesResync): ([[UInt8]], Bool) = outgoing.withLock { o in
                let b = o.queue
                o.queue.removeAll(keepingCapacity: true)
                if b.isEmpty { o.draining = false }
                defer { if !b.isEmpty { o.owesResync = false } }
                return (b, o.owesResync)
            }
            guard !queued.isEmpty else { return }
            let batch = ((owesResync ? try? BusWire.resync(origin: node) : nil).map { [$0] } ?? []) + queued
            for (i, payload) in batch.enumerated() {
                do {
                    try await publisher.publish(channel: channel, payload: payload)
                } catch {
                    // Redis is gone: the rest of this batch would wait out a timeout each.
                    let lost = batch.count - i
                    outgoing.withLock {
                        $0.dropped += lost
                        $0.owesResync = true
                    }
                    logger.warning("event bus publish failed; dropped", metadata: ["messages": .stringConvertible(lost), "error": .string("\(error)")])
                    break
                }
            }
        }
    }

    private func receive(_ payload: [UInt8]) async {
        do {
            let (origin, received) = try BusWire.decode(payload)
            guard origin != node else { return }
            switch received {
            case .message(let message):
                await local.publish(message)
            case .resync:
                logger.notice("a node could not publish some events; catching up from the database", metadata: ["from": .string(origin)])
                for handler in reconnectHandlers.withLock({ $0 }) { await handler() }
            }
        } catch {
            logger.warning("unreadable bus message ignored", metadata: ["error": .string("\(error)"), "bytes": .stringConvertible(payload.count)])
        }
    }
}

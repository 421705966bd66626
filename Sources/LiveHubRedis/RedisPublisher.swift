import Foundation
import Logging

/// Publishes messages to Redis pub/sub channels from async code.
///
/// hiredis is blocking, so the connection lives on a thread of its own (`PublisherLoop`).
/// `publish` queues the message and suspends until Redis answered. Whatever queued up while the
/// thread was busy goes out as one pipelined batch: one write, then one read per reply. That is
/// what makes many concurrent publishers cheap (hundreds of thousands of messages per second
/// here) without giving up "returns once Redis has it".
///
/// Failures are not retried here: when the connection breaks, the publishes of that batch throw
/// and the next publish connects afresh (connect timeout 1 s). The caller knows whether a lost
/// message matters (the event bus catches up from its database), so it decides.
package final class RedisPublisher: Sendable {
    private let loop: PublisherLoop

    package init(endpoint: RedisEndpoint, logger: Logger) {
        var logger = logger
        logger[metadataKey: "redis"] = "\(endpoint.host):\(endpoint.port)"
        let loop = PublisherLoop(endpoint: endpoint, logger: logger)
        self.loop = loop
        // The thread holds the loop (not this object), so dropping the publisher closes it.
        let thread = Thread { loop.run() }
        thread.name = "redis-publisher"
        thread.start()
    }

    deinit {
        loop.close()
    }

    /// Publishes `payload` (any bytes, NULs included) on `channel` and returns once Redis
    /// answered the PUBLISH. Publishes from one task reach Redis in the order they were made;
    /// cancelling the calling task does not withdraw a message already queued.
    /// - Throws: `.connect` or `.io` when Redis is unreachable or the connection broke (the message
    ///   may or may not have been delivered), `.reply` when Redis refused it, `.closed` after `close()`.
    package func publish(channel: String, payload: [UInt8]) async throws(RedisError) {
        let message = PublisherLoop.Message(channel: Array(channel.utf8), payload: payload)
        let outcome = await withCheckedContinuation { continuation in
            loop.enqueue(message, continuation)
        }
        try outcome.get()
    }

    /// Stops the thread. Publishes still queued fail with `.closed`; a batch already on the wire
    /// finishes with its real outcome. Safe to call more than once.
    package func close() {
        loop.close()
    }
}

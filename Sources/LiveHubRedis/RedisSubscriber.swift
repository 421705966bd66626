import Foundation
import Logging

/// What a `RedisSubscriber` reports, in the order it happened.
package enum RedisSubscriberEvent: Sendable, Equatable {
    /// Redis confirmed every channel; sent after the first connection and after each reconnection.
    /// Messages published while disconnected are lost, so this is the moment to catch up.
    case subscribed
    /// One message, as published (payload bytes unchanged, NULs included).
    case message(channel: String, payload: [UInt8])
    /// The connection was lost (or the first attempt failed); the reason is for logs. Sent once
    /// per outage, not once per failed retry.
    case disconnected(String)
}

/// Listens on Redis pub/sub channels and delivers what arrives as an `AsyncStream`.
///
/// The connection lives on a thread of its own (`SubscriberLoop`) that polls the socket and a wake
/// pipe. It never gives up: after any error it reconnects with a backoff of 50 ms doubling to 1 s,
/// subscribes again and reports `.subscribed`. While connected and idle it sends PING every few
/// seconds, so a Redis that silently vanished is noticed within about 10 s.
package final class RedisSubscriber: Sendable {
    /// The events, unbounded (a slow consumer costs memory, never a lost message), for ONE
    /// consumer. Ending the iteration (e.g. cancelling the consuming task) closes the subscriber.
    package let events: AsyncStream<RedisSubscriberEvent>
    private let loop: SubscriberLoop

    package init(endpoint: RedisEndpoint, channels: [String], logger: Logger) {
        var logger = logger
        logger[metadataKey: "redis"] = "\(endpoint.host):\(endpoint.port)"
        let (stream, continuation) = AsyncStream.makeStream(
            of: RedisSubscriberEvent.self, bufferingPolicy: .unbounded)
        let loop = SubscriberLoop(endpoint: endpoint, channels: channels, logger: logger, events: continuation)
        events = stream
        self.loop = loop
        // Weak: the loop owns the continuation, which owns this handler; a strong capture would
        // be a cycle if the stream were never terminated.
        continuation.onTermination = { [weak loop] _ in loop?.close() }
        // The thread holds the loop (not this object), so dropping the subscriber closes it.
        let thread = Thread { loop.run() }
        thread.name = "redis-subscriber"
        thread.start()
    }

    deinit {
        loop.close()
    }

    /// Finishes `events` at once and ends the thread (within a connect timeout of 1 s at most).
    /// Safe to call more than once.
    package func close() {
        loop.close()
    }
}

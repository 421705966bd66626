#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Synchronization

/// The subscriber's thread: connect, SUBSCRIBE, then poll the socket and the wake pipe, turning
/// pub/sub pushes into events; on any error, report, back off and start over. The hiredis
/// connection is a local of the thread; shared state is only the `closed` flag (a `Mutex`) and
/// the wake pipe, whose descriptors never change and are closed in deinit, after the last user.
final class SubscriberLoop: Sendable {
    private static let connectTimeout = Duration.seconds(1)
    private static let ioTimeout = Duration.seconds(5)
    private static let minBackoff = Duration.milliseconds(50)
    private static let maxBackoff = Duration.seconds(1)
    /// Idle this long, send PING; no PONG this long after, the connection is dead.
    private static let idleBeforePing = Duration.seconds(5)
    private static let pingTimeout = Duration.seconds(5)
    /// poll() timeout: how often an idle loop looks at the clock.
    private static let tickMilliseconds: Int32 = 1_000

    private let endpoint: RedisEndpoint
    private let channels: [String]
    private let logger: Logger
    private let events: AsyncStream<RedisSubscriberEvent>.Continuation
    private let closed = Mutex(false)
    private let wake: WakePipe

    init(endpoint: RedisEndpoint, channels: [String], logger: Logger,
         events: AsyncStream<RedisSubscriberEvent>.Continuation) {
        self.endpoint = endpoint
        self.channels = channels
        self.logger = logger
        self.events = events
        self.wake = WakePipe()
    }

    private var isClosed: Bool { closed.withLock { $0 } }

    func close() {
        let first = closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        wake.signal()
        events.finish()
    }

    /// The thread's body: returns after `close()`.
    func run() {
        var backoff = Self.minBackoff
        // True while an outage has been reported, so that retries do not repeat `.disconnected`.
        var reportedDown = false
        while !isClosed {
            let reason: String
            do throws(RedisError) {
                let connection = try RedisContext.connect(
                    to: endpoint, connectTimeout: Self.connectTimeout, ioTimeout: Self.ioTimeout)
                try serve(connection) {
                    backoff = Self.minBackoff
                    reportedDown = false
                    logger.info("Redis subscriber subscribed", metadata: ["channels": "\(channels.count)"])
                }
                break  // serve returns only when closed
            } catch {
                reason = error.description
            }
            if isClosed { break }
            if reportedDown {
                logger.debug("Redis subscriber still disconnected: \(reason)")
            } else {
                logger.warning("Redis subscriber disconnected: \(reason)")
                events.yield(.disconnected(reason))
                reportedDown = true
            }
            wake.wait(timeoutMilliseconds: Self.milliseconds(backoff))
            backoff = min(backoff * 2, Self.maxBackoff)
        }
        events.finish()
        logger.debug("Redis subscriber closed")
    }

    /// Subscribes and delivers pushes until closed (returns) or the connection fails (throws).
    private func serve(_ connection: RedisContext, onSubscribed: () -> Void) throws(RedisError) {
        var unconfirmed = channels.count
        if channels.isEmpty {
            events.yield(.subscribed)
            onSubscribed()
        } else {
            try connection.append([Array("SUBSCRIBE".utf8)] + channels.map { Array($0.utf8) })
            try connection.flush()
        }
        let clock = ContinuousClock()
        var lastHeard = clock.now
        var pingSent: ContinuousClock.Instant? = nil

        while true {
            // hiredis may hold whole replies from an earlier read; poll() cannot see those.
            while let reply = try connection.bufferedReply() {
                guard case .array(let parts) = reply, let kind = parts.first?.text else {
                    if case .error(let message) = reply { throw .reply(message) }
                    throw .reply("unexpected reply in subscribed mode: \(reply)")
                }
                switch kind {
                case "message":
                    guard parts.count == 3, let channel = parts[1].text, let payload = parts[2].bytes else {
                        throw .reply("malformed message push: \(reply)")
                    }
                    events.yield(.message(channel: channel, payload: payload))
                case "subscribe":
                    unconfirmed -= 1
                    if unconfirmed == 0 {
                        events.yield(.subscribed)
                        onSubscribed()
                    }
                case "pong":
                    pingSent = nil
                default:
                    logger.debug("Redis subscriber ignored a \(kind) push")
                }
            }
            if isClosed { return }

            var fds = [
                pollfd(fd: connection.fileDescriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake.readDescriptor, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, nfds_t(fds.count), Self.tickMilliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                throw .io("poll failed with errno \(errno)")
            }
            if fds[1].revents != 0 { return }  // only close() writes to the wake pipe
            if fds[0].revents != 0 {
                // Readable, hung up or failed: the read tells which, and throws at EOF.
                try connection.readAvailable()
                lastHeard = clock.now
                continue
            }
            // Idle tick: make sure the other end is still there.
            if let sent = pingSent {
                if sent.duration(to: clock.now) >= Self.pingTimeout {
                    throw .io("no answer to PING within \(Self.pingTimeout)")
                }
            } else if lastHeard.duration(to: clock.now) >= Self.idleBeforePing {
                try connection.append([Array("PING".utf8)])
                try connection.flush()
                pingSent = clock.now
            }
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        return Int32(clamping: seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
    }
}

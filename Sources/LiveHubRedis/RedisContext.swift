import CHiredis
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One blocking hiredis connection: connect with a timeout, AUTH and SELECT, binary-safe argv
/// commands (pipelined or not), and the non-blocking pieces a poll loop needs.
///
/// Not Sendable on purpose: a hiredis context belongs to the one thread that created it. After
/// any error hiredis leaves the context unusable, so callers drop this object (which frees it)
/// and connect a new one.
final class RedisContext {
    private let context: UnsafeMutablePointer<redisContext>

    private init(context: UnsafeMutablePointer<redisContext>) {
        self.context = context
    }

    deinit {
        redisFree(context)
    }

    /// Connects, sets the socket timeouts and logs in.
    /// - Parameters:
    ///   - connectTimeout: how long the TCP connect may take.
    ///   - ioTimeout: bound on every blocking read and write, so that a Redis that stopped
    ///     answering (rather than closing) surfaces as an error instead of a hung thread.
    static func connect(
        to endpoint: RedisEndpoint, connectTimeout: Duration, ioTimeout: Duration
    ) throws(RedisError) -> RedisContext {
        let place = "\(endpoint.host):\(endpoint.port)"
        guard let port = Int32(exactly: endpoint.port) else { throw .connect("\(place): invalid port") }
        guard let raw = redisConnectWithTimeout(endpoint.host, port, timeval(connectTimeout)) else {
            throw .connect("\(place): hiredis could not allocate a context")
        }
        if raw.pointee.err != 0 {
            let message = Self.errorMessage(raw)
            redisFree(raw)
            throw .connect("\(place): \(message)")
        }
        // From here on the object owns `raw`: any throw below frees it through deinit.
        let connection = RedisContext(context: raw)
        if redisSetTimeout(raw, timeval(ioTimeout)) != REDIS_OK {
            throw .connect("\(place): cannot set socket timeouts: \(connection.errorMessage)")
        }
        // Close-on-exec, so a child process (a spawned tool, a test's redis-server) does not keep
        // our connection open after we close it.
        _ = fcntl(raw.pointee.fd, F_SETFD, FD_CLOEXEC)
        // Keepalive lets the kernel notice a peer that vanished without closing the socket.
        _ = redisEnableKeepAlive(raw)
        do {
            if let password = endpoint.password {
                try connection.expectOK(connection.command(["AUTH", password]), doing: "AUTH")
            }
            if endpoint.database != 0 {
                try connection.expectOK(connection.command(["SELECT", String(endpoint.database)]), doing: "SELECT")
            }
        } catch {
            throw .connect("\(place): \(error)")
        }
        return connection
    }

    /// The socket, for poll().
    var fileDescriptor: Int32 { context.pointee.fd }

    /// Sends one command and blocks until its reply arrived.
    func command(_ arguments: [String]) throws(RedisError) -> RedisReply {
        try append(arguments.map { Array($0.utf8) })
        return try nextReply()
    }

    /// Queues a command in hiredis's output buffer; nothing is written until `flush()` or
    /// `nextReply()`. Arguments are passed with explicit lengths, so they may contain NUL bytes.
    func append(_ arguments: [[UInt8]]) throws(RedisError) {
        let total = arguments.reduce(0) { $0 + $1.count }
        // One allocation holds every argument back to back; argv points into it.
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: total + 1)
        defer { storage.deallocate() }
        var argv: [UnsafePointer<CChar>?] = []
        var lengths: [Int] = []
        argv.reserveCapacity(arguments.count)
        lengths.reserveCapacity(arguments.count)
        var offset = 0
        for argument in arguments {
            argument.withUnsafeBufferPointer { source in
                if let base = source.baseAddress {
                    (storage + offset).initialize(from: base, count: source.count)
                }
            }
            argv.append(UnsafeRawPointer(storage + offset).assumingMemoryBound(to: CChar.self))
            lengths.append(argument.count)
            offset += argument.count
        }
        guard let count = Int32(exactly: arguments.count) else { throw .io("too many arguments") }
        if redisAppendCommandArgv(context, count, &argv, &lengths) != REDIS_OK {
            throw .io(errorMessage)
        }
    }

    /// Blocks until the next reply: flushes the output buffer first, then reads.
    func nextReply() throws(RedisError) -> RedisReply {
        var raw: UnsafeMutableRawPointer? = nil
        guard redisGetReply(context, &raw) == REDIS_OK, let raw else {
            throw .io(errorMessage)
        }
        defer { freeReplyObject(raw) }
        return RedisReply(copying: raw.assumingMemoryBound(to: redisReply.self))
    }

    /// A reply that hiredis already read from the socket, without touching the socket. poll()
    /// cannot see these, so a poll loop must drain them before it waits.
    func bufferedReply() throws(RedisError) -> RedisReply? {
        var raw: UnsafeMutableRawPointer? = nil
        guard redisGetReplyFromReader(context, &raw) == REDIS_OK else {
            throw .io(errorMessage)
        }
        guard let raw else { return nil }
        defer { freeReplyObject(raw) }
        return RedisReply(copying: raw.assumingMemoryBound(to: redisReply.self))
    }

    /// One read() into hiredis's reader; call only when poll() said the socket is readable,
    /// because the socket is blocking. Throws at end of file.
    func readAvailable() throws(RedisError) {
        if redisBufferRead(context) != REDIS_OK {
            throw .io(errorMessage)
        }
    }

    /// Writes the whole output buffer (blocking, bounded by the I/O timeout).
    func flush() throws(RedisError) {
        var done: Int32 = 0
        while done == 0 {
            if redisBufferWrite(context, &done) != REDIS_OK {
                throw .io(errorMessage)
            }
        }
    }

    private func expectOK(_ reply: RedisReply, doing what: String) throws(RedisError) {
        if case .error(let message) = reply { throw .reply("\(what): \(message)") }
    }

    private var errorMessage: String { Self.errorMessage(context) }

    /// `errstr` is a fixed char[128] that imports as a tuple: read it up to its NUL.
    private static func errorMessage(_ context: UnsafeMutablePointer<redisContext>) -> String {
        let message = withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return message.isEmpty ? "hiredis error \(context.pointee.err)" : message
    }
}

extension timeval {
    /// A `timeval` for hiredis's timeouts.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}

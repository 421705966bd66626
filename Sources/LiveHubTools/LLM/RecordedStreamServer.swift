import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A stand-in LLM provider for tests and benchmarks: a loopback HTTP/1.1 server that answers
/// `POST /v1/messages` and `POST /v1/chat/completions` by replaying recorded bytes as scripted.
///
/// Enqueue one `Script` per expected request (`enqueue(.stream(bytes, splits: [...]))`,
/// `enqueue(.status(429, json))`); requests take scripts in arrival order, and `defaultScript`
/// answers when the queue is empty (a 500 error body when it is nil); other paths get a 404
/// without taking a script. Every request is recorded
/// with the time its first body byte was written, so a benchmark can measure from there to
/// the first text at its client.
package final class RecordedStreamServer: Sendable {
    private struct State {
        var queue: [Script] = []
        var defaultScript: Script?
        var exchanges: [Exchange] = []
        var connections: [ObjectIdentifier: any Channel] = [:]
    }

    package let port: Int
    private let channel: any Channel
    private let state = Mutex(State())

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    /// `http://127.0.0.1:PORT`, the base URL to configure a reply model with.
    package var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts listening on 127.0.0.1 on a port of the kernel's choice.
    package static func start() async throws -> RecordedStreamServer {
        let ready = ServerHandle()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    guard let server = ready.server else { throw ChannelError.ioOnClosedChannel }
                    server.opened(child)
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    try child.pipeline.syncOperations.addHandler(RecordedStreamHandler(server: server))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw ChannelError.unknownLocalAddress
        }
        let server = RecordedStreamServer(channel: channel, port: port)
        ready.server = server
        return server
    }

    /// Stops listening and closes every open connection.
    package func stop() async throws {
        try await channel.close()
        let open = state.withLock { Array($0.connections.values) }
        for connection in open { try? await connection.close() }
    }

    package func enqueue(_ script: Script) { state.withLock { $0.queue.append(script) } }

    /// The answer when no script is queued (benchmarks set one and send many requests).
    package var defaultScript: Script? {
        get { state.withLock { $0.defaultScript } }
        set { state.withLock { $0.defaultScript = newValue } }
    }

    package var exchanges: [Exchange] { state.withLock { $0.exchanges } }
    package var requests: [ReceivedRequest] { exchanges.map(\.request) }
    /// When each response's first body byte was written, in request order (responses without
    /// a body byte yet are left out).
    package var firstByteTimes: [ContinuousClock.Instant] { exchanges.compactMap(\.firstByte) }
    package var firstByteDates: [Date] { exchanges.compactMap(\.firstByteDate) }
    /// Responses the client walked away from (closed the connection before they were complete).
    package var abortedCount: Int { exchanges.filter(\.aborted).count }

    // MARK: called by the handler, on its event loop

    func opened(_ connection: any Channel) {
        let id = ObjectIdentifier(connection)
        state.withLock { $0.connections[id] = connection }
        connection.closeFuture.whenComplete { [weak self] _ in
            _ = self?.state.withLock { $0.connections.removeValue(forKey: id) }
        }
    }

    /// Records `request` and returns its script and its exchange number.
    func received(_ request: ReceivedRequest) -> (Script, Int) {
        state.withLock { state in
            state.exchanges.append(Exchange(request: request))
            let known = request.method == "POST" && (request.path == "/v1/messages" || request.path == "/v1/chat/completions")
            let script: Script
            if !known {
                script = .status(404, #"{"error":{"type":"not_found_error","message":"no such endpoint"}}"#)
            } else if !state.queue.isEmpty {
                script = state.queue.removeFirst()
            } else {
                script = state.defaultScript ?? .status(500, #"{"error":{"type":"api_error","message":"no script queued"}}"#)
            }
            return (script, state.exchanges.count - 1)
        }
    }

    func wroteFirstByte(_ exchange: Int) {
        let now = ContinuousClock.now
        let date = Date()
        state.withLock {
            $0.exchanges[exchange].firstByte = now
            $0.exchanges[exchange].firstByteDate = date
        }
    }

    func finished(_ exchange: Int, aborted: Bool) {
        state.withLock {
            $0.exchanges[exchange].aborted = aborted
            $0.exchanges[exchange].completed = !aborted
        }
    }
}

/// Hands the server to connection initializers, which can run only after `bind` returned it.
private final class ServerHandle: Sendable {
    private let value = Mutex<RecordedStreamServer?>(nil)
    var server: RecordedStreamServer? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}

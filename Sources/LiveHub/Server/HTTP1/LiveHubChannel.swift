import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// One HTTP/1 connection of LiveHub's server: requests go to the router; an upgrade to the
/// WebSocket endpoint is judged *before* it happens, so a refused client (no, bad or expired
/// token) gets a plain `401` with a JSON body rather than a bare `400`.
///
/// Connections past the server's limit are answered 503 and closed (`ConnectionLimit`). Every
/// admitted connection is bounded in time (`Limits`): its first request head must arrive within
/// `firstHeadTimeout` of connecting, a keep-alive connection idle for `idleTimeout` is closed,
/// and each request must be read and answered within `requestTimeout` of its head. Slow, silent
/// or non-reading clients therefore hold a connection slot, and a graceful shutdown, for a
/// bounded time only.
struct LiveHubChannel: ServerChildChannel, HTTPChannelHandler {
    struct Limits: Sendable {
        var firstHeadTimeout: Duration = .seconds(10)
        var idleTimeout: Duration = .seconds(60)
        var requestTimeout: Duration = .seconds(30)
    }

    /// What the connection became once its first request was read.
    enum Negotiated: Sendable {
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        /// Upgraded: `WebSocketChannelHandler` serves it on its event loop, with no task.
        case webSocket
        /// An upgrade was asked for and refused: answer `status` with `body` and close.
        case refused(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, HTTPResponse.Status, body: String)
        /// Past the connection limit: answered 503 and closed by `TurnAway`.
        case turnedAway
    }

    struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        let channel: any Channel
    }

    let responder: HTTPChannelHandler.Responder
    let limits: Limits
    let connections: ConnectionLimit
    let webSocket: WebSocketEndpoint

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard connections.admit(channel) else {
            return channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(TurnAway())
                return Value(negotiated: channel.eventLoop.makeSucceededFuture(.turnedAway), channel: channel)
            }
        }
        return channel.eventLoop.makeCompletedFuture {
            // Per connection, on its event loop: whether an upgrade was judged, and how.
            let judged = NIOLoopBoundBox<WebSocketUpgradeDecision?>(nil, eventLoop: channel.eventLoop)
            let endpoint = webSocket
            let limits = self.limits
            let upgrader = NIOTypedWebSocketServerUpgrader<Negotiated>(
                maxFrameSize: endpoint.maxFrameSize,
                shouldUpgrade: { channel, head in
                    let promise = channel.eventLoop.makePromise(of: WebSocketUpgradeDecision.self)
                    promise.completeWithTask { await Self.decide(head, endpoint) }
                    return promise.futureResult.map { decision in
                        judged.value = decision
                        if case .accept = decision { return HTTPHeaders() }
                        return nil
                    }
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        guard case .accept(let session)? = judged.value else { throw NIOWebSocketUpgradeError.unsupportedWebSocketTarget }
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(
                            NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 256, maxAccumulatedFrameSize: endpoint.maxFrameSize))
                        try pipeline.addHandler(WebSocketChannelHandler(session: session, pingInterval: endpoint.autoPing))
                        return .webSocket
                    }
                })
            let upgrade = NIOTypedHTTPServerUpgradeConfiguration<Negotiated>(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                        try pipeline.addHandler(RequestDeadline(limit: TimeAmount(limits.requestTimeout)))
                        try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: limits.idleTimeout, logger: logger))
                        let parts = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                        if case .refuse(let status, let code, let message)? = judged.value {
                            return .refused(parts, status, body: APIError(status, code, message).body)
                        }
                        return .http(parts)
                    }
                })
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration(upgradeConfiguration: upgrade)
            configuration.enablePipelining = false  // NIOAsyncChannel reads one request at a time
            configuration.enableErrorHandling = false  // Hummingbird answers parse errors
            configuration.enableResponseHeaderValidation = false  // HTTPTypes validated them already
            try channel.pipeline.syncOperations.addHandler(FirstRequestHeadDeadline(limit: TimeAmount(limits.firstHeadTimeout)))
            let negotiated = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            return Value(negotiated: negotiated, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.negotiated.get() {
            case .http(let parts):
                await handleHTTP(asyncChannel: parts, logger: logger)
            case .refused(let parts, let status, let body):
                try await parts.executeThenClose { _, outbound in
                    let head = HTTPResponse(status: status, headerFields: [.connection: "close", .contentType: "application/json", .contentLength: "\(body.utf8.count)"])
                    try await outbound.write(contentsOf: [.head(head), .body(ByteBuffer(string: body)), .end(nil)])
                }
            case .turnedAway:
                try await value.channel.closeFuture.get()
            case .webSocket:
                // The channel lives on without this task; shutdown reaches it through the
                // server's quiescing (`ChannelShouldQuiesceEvent`).
                break
            }
        } catch {
            logger.debug("connection ended", metadata: ["error": .string("\(error)")])
        }
    }

    private static func decide(_ head: HTTPRequestHead, _ endpoint: WebSocketEndpoint) async -> WebSocketUpgradeDecision {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        guard path == endpoint.path else { return .refuse(.notFound, code: "not_found", message: "no WebSocket endpoint at \(path)") }
        return await endpoint.decide(head.uri, head.headers.first(name: "authorization"))
    }
}

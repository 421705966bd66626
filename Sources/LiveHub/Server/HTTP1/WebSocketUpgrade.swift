import HTTPTypes
import Logging
import WSCore

/// A WebSocket connection's life once the upgrade succeeded: read `inbound`, write `outbound`;
/// the connection closes when it returns.
typealias WebSocketSession = @Sendable (WebSocketInboundStream, WebSocketOutboundWriter, Logger) async throws -> Void

/// What the server does with a request to upgrade to a WebSocket, decided before the upgrade
/// (authentication happens here, so a refused client gets a plain HTTP answer).
enum WebSocketUpgradeDecision: Sendable {
    case accept(WebSocketSession)
    /// Answered with `status` and `{"error": code, "message": message}`; no upgrade.
    case refuse(HTTPResponse.Status, code: String, message: String)
}

/// The server's WebSocket endpoint: which path upgrades, how an upgrade request is judged, and
/// the frame limits of the connections it accepts.
struct WebSocketEndpoint: Sendable {
    let path: String
    /// Judges an upgrade request from its target (path and query) and `Authorization` header.
    let decide: @Sendable (_ target: String, _ authorization: String?) async -> WebSocketUpgradeDecision
    var maxFrameSize = 1 << 20
    var autoPing: Duration = .seconds(30)
}

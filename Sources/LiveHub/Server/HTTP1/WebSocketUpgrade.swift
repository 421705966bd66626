import HTTPTypes
import NIOCore
import NIOWebSocket

/// One whole message from a client (its fragments joined).
enum ClientMessage: Sendable {
    case text(String)
    case binary(ByteBuffer)
}

/// The socket of an open WebSocket, as the application sees it. Callable from any thread.
protocol WebSocketOutput: AnyObject, Sendable {
    /// Frames wait in the peer: take them (`WebSocketPeer.takeFrames`) and write them as soon
    /// as the socket can take them.
    func framesWaiting()
    /// The peer can take client messages again (see `WebSocketPeer.received`).
    func resumeReading()
    /// Sends a close frame with `code` and `reason`, then closes the connection.
    func close(_ code: WebSocketErrorCode, reason: String)
}

/// The application's side of an open WebSocket. The connection's event loop calls it, one call
/// at a time; what it does that takes long (storage, actors) it must do elsewhere.
protocol WebSocketPeer: AnyObject, Sendable {
    /// Everything queued for the socket, in order; nil when nothing is — the peer then calls
    /// `framesWaiting` again when something comes.
    func takeFrames() -> [ServerFrame]?
    /// A message arrived. Returns false when the peer has enough waiting: the socket stops
    /// reading until the peer calls `resumeReading`.
    func received(_ message: ClientMessage) -> Bool
    /// The connection closed, whichever side closed it. Called once.
    func closed()
}

/// Starts the application's side of a connection, once upgraded.
typealias WebSocketSession = @Sendable (any WebSocketOutput) -> any WebSocketPeer

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
    /// A ping goes out this often; a connection that has not answered the previous one by then
    /// is closed.
    var autoPing: Duration = .seconds(30)
}

import Hummingbird
import HummingbirdWebSocket

/// The request context for every route: Hummingbird's WebSocket-capable context, so one router
/// serves HTTP and the WebSocket upgrade.
typealias AppContext = BasicWebSocketRequestContext

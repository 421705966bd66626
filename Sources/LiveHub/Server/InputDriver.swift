import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Feeds raw inputs through the node's own paths, the way the network would deliver them, but
/// without a socket: a webhook's bytes and headers through verification, parsing, validation,
/// routing and the durable commit; a WebSocket frame's bytes through decoding, the client ops
/// and the error frames. For fuzzers and hostile-input tests, which need every input to reach
/// the code that a real one reaches.
package struct InputDriver: Sendable {
    let server: LiveHubServer
    let routes: WebhookRoutes
    let gateway: WebSocketGateway

    package init(server: LiveHubServer) {
        self.server = server
        routes = server.webhookRoutes
        gateway = server.gateway
    }

    /// The HTTP status `POST /webhooks/ghl` answers for this body and these headers.
    package func webhook(body: [UInt8], headers: [(name: String, value: String)]) async -> Int {
        var fields: HTTPFields = [:]
        for (name, value) in headers {
            guard let field = HTTPField.Name(name) else { continue }
            fields.append(HTTPField(name: field, value: value))
        }
        let request = Request(
            head: HTTPRequest(method: .post, scheme: "http", authority: "127.0.0.1", path: "/webhooks/ghl", headerFields: fields),
            body: RequestBody(buffer: ByteBuffer(bytes: body)))
        switch await routes.handle(request) {
        case .answered: return 200
        case .refused(let error, _): return Int(error.status.code)
        case .relayed(let status, _, _): return status
        }
    }

    /// A client connection of a supervisor of every location; frames go through `send`.
    package func connection() -> ClientConnection {
        ClientConnection(
            gateway: gateway,
            connection: Connection(
                token: AccessToken.make(user: "fuzz-supervisor", role: .supervisor, locations: ["*"], lifetime: 3600), hub: server.hub,
                queueLimit: server.config.outboundQueueLimit))
    }

    /// One client's side of the WebSocket protocol, minus the socket.
    package struct ClientConnection: Sendable {
        let gateway: WebSocketGateway
        let connection: Connection

        /// Handles one text frame (its bytes as received, valid UTF-8 or not) and returns what
        /// the server queued for the client since, and whether it keeps the connection open.
        package func send(text bytes: [UInt8]) async -> (frames: [String], open: Bool) {
            let open = await gateway.handle(.text(String(decoding: bytes, as: UTF8.self)), connection)
            return (connection.queue.takeOrStop()?.map(\.text) ?? [], open)
        }

        /// Handles one binary frame.
        package func send(binary bytes: [UInt8]) async -> (frames: [String], open: Bool) {
            let open = await gateway.handle(.binary(ByteBuffer(bytes: bytes)), connection)
            return (connection.queue.takeOrStop()?.map(\.text) ?? [], open)
        }

        package func close() { connection.closeAll() }
    }
}

import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore

/// Builds, signs and posts InboundMessage webhooks.
struct WebhookSender: Sendable {
    let client: HTTPClient
    let url: String
    let key: Curve25519.Signing.PrivateKey
    static let texts = [
        "Is it still available? Could we see it Saturday after 2?", "We're pre-approved for 450k, would they take 415?",
        "How many bedrooms does it have and is there an HOA?", "Thanks so much!", "Can you call me tomorrow after 5?",
        "That's too expensive for us right now", "We want to offer 2% under asking", "Perfect, see you then 👍",
    ]

    func body(conversation: Int, id: String) -> [UInt8] {
        let text = Self.texts[abs(id.hashValue) % Self.texts.count]
        let json = """
            {"type":"InboundMessage","webhookId":"\(id)","messageId":"m-\(id)","timestamp":"\(Date().ISO8601Format())","locationId":"bench-loc",\
            "contactId":"bench-contact-\(conversation)","conversationId":"bench-conv-\(conversation)","body":"\(text)","messageType":"SMS",\
            "direction":"inbound","status":"delivered","dateAdded":"\(Date().ISO8601Format())"}
            """
        return Array(json.utf8)
    }

    /// Posts one webhook; true when the server acknowledged it (it is durable).
    func send(conversation: Int, id: String) async throws -> Bool {
        let b = body(conversation: conversation, id: id)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "x-ghl-signature", value: try key.signature(for: b).base64EncodedString())
        request.body = .bytes(ByteBuffer(bytes: b))
        let response = try await client.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 16)
        return response.status == .ok
    }
}

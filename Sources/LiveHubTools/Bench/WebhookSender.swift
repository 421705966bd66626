import AsyncHTTPClient
import Crypto
import Foundation
import LiveHub
import NIOCore

/// Builds, signs and posts InboundMessage webhooks.
struct WebhookSender: Sendable {
    let client: HTTPClient
    let url: String
    let key: Curve25519.Signing.PrivateKey
    /// Locations the conversations are spread over (a cluster shards by location).
    var locations = 1
    static let texts = [
        "Is it still available? Could we see it Saturday after 2?", "We're pre-approved for 450k, would they take 415?",
        "How many bedrooms does it have and is there an HOA?", "Thanks so much!", "Can you call me tomorrow after 5?",
        "That's too expensive for us right now", "We want to offer 2% under asking", "Perfect, see you then 👍",
    ]

    /// A lead's SMS; `text` must need no JSON escaping.
    static func body(id: String, location: String, contact: String, conversation: String, text: String) -> [UInt8] {
        let json = """
            {"type":"InboundMessage","webhookId":"\(id)","messageId":"m-\(id)","timestamp":"\(Date().ISO8601Format())","locationId":"\(location)",\
            "contactId":"\(contact)","conversationId":"\(conversation)","body":"\(text)","messageType":"SMS",\
            "direction":"inbound","status":"delivered","dateAdded":"\(Date().ISO8601Format())"}
            """
        return Array(json.utf8)
    }

    /// Posts one webhook to conversation `bench-conv-N`; true when the server acknowledged it (it is durable).
    func send(conversation: Int, id: String) async throws -> Bool {
        try await send(conversationId: "bench-conv-\(conversation)", contact: "bench-contact-\(conversation)", id: id, location: location(ofConversation: conversation))
    }

    /// `bench-loc`, or with several locations `bench-loc-K`.
    func location(ofConversation conversation: Int) -> String {
        locations <= 1 ? "bench-loc" : "bench-loc-\(conversation % locations)"
    }

    func send(conversationId: String, contact: String, id: String, location: String = "bench-loc") async throws -> Bool {
        let text = Self.texts[abs(id.hashValue) % Self.texts.count]
        return try await post(Self.body(id: id, location: location, contact: contact, conversation: conversationId, text: text))
    }

    func post(_ b: [UInt8]) async throws -> Bool {
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

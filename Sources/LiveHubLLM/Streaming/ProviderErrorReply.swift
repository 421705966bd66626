import Foundation

/// The body of a non-200 reply, in any of the shapes providers use:
/// Anthropic `{"type":"error","error":{"type","message"}}`, OpenAI and llama.cpp
/// `{"error":{"message","type",...}}`, Ollama `{"error":"..."}`, older vLLM
/// `{"object":"error","message","type"}`, FastAPI `{"detail":"..."}`.
struct ProviderErrorReply: Decodable {
    var error: ProviderErrorDetail?
    var type: String?
    var message: String?
    var detail: String?

    private enum CodingKeys: String, CodingKey { case error, type, message, detail }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        error = try? container.decodeIfPresent(ProviderErrorDetail.self, forKey: .error)
        type = try? container.decodeIfPresent(String.self, forKey: .type)
        message = try? container.decodeIfPresent(String.self, forKey: .message)
        detail = try? container.decodeIfPresent(String.self, forKey: .detail)
    }

    /// `rejected` for a reply with `status` and `body`; a body that is not JSON contributes
    /// its first line (shortened), so an HTML error page from a proxy still says something.
    static func rejection(status: Int, body: [UInt8]) -> ReplyModelError {
        if let reply = try? JSONDecoder().decode(ProviderErrorReply.self, from: Data(body)) {
            let type = reply.error?.type ?? (reply.type == "error" ? nil : reply.type)
            if let message = reply.error?.message ?? reply.message ?? reply.detail {
                return .rejected(status: status, type: type, message: message)
            }
            return .rejected(status: status, type: type, message: "HTTP \(status)")
        }
        let text = String(decoding: body.prefix(512), as: UTF8.self)
        let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        return .rejected(status: status, type: nil, message: firstLine.isEmpty ? "HTTP \(status)" : String(firstLine.prefix(200)))
    }
}

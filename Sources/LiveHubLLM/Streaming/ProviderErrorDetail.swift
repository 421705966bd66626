/// A provider's error description, as found in error replies and mid-stream error events:
/// `{"type": ..., "message": ...}` (Anthropic, OpenAI, vLLM, llama.cpp) or a bare string
/// (Ollama's `{"error": "..."}`). Both fields are read leniently: a field of another JSON type
/// is treated as absent rather than failing the whole reply.
struct ProviderErrorDetail: Decodable, Sendable {
    var type: String?
    var message: String?

    private enum CodingKeys: String, CodingKey { case type, message }

    init(type: String?, message: String?) {
        self.type = type
        self.message = message
    }

    init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            self.init(type: nil, message: text)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            type: try? container.decodeIfPresent(String.self, forKey: .type),
            message: try? container.decodeIfPresent(String.self, forKey: .message))
    }
}

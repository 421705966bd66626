/// The request body of `POST /v1/messages` with `stream: true`.
struct AnthropicRequest: Encodable {
    struct Message: Encodable {
        var role: String
        var content: String
    }

    var model: String
    var maxTokens: Int
    var stream = true
    /// Left out when the prompt has no system text.
    var system: String?
    var messages: [Message]

    private enum CodingKeys: String, CodingKey {
        case model, maxTokens = "max_tokens", stream, system, messages
    }

    init(_ prompt: ReplyPrompt, configuration: ReplyModelConfiguration) {
        model = configuration.model
        maxTokens = configuration.maxTokens(for: prompt)
        system = prompt.system.isEmpty ? nil : prompt.system
        messages = prompt.messages.map { Message(role: $0.role.rawValue, content: $0.content) }
    }
}

/// The JSON of one event of a Messages stream: the fields LiveHub reads, all optional, from
/// every event type (`message_start`, `content_block_delta`, `message_delta`, `error`).
struct AnthropicStreamEvent: Decodable {
    struct Usage: Decodable {
        var inputTokens: Int?
        var outputTokens: Int?

        private enum CodingKeys: String, CodingKey {
            case inputTokens = "input_tokens", outputTokens = "output_tokens"
        }
    }

    struct Message: Decodable {
        var usage: Usage?
    }

    /// `content_block_delta` carries `type`/`text`; `message_delta` carries `stop_reason`.
    struct Delta: Decodable {
        var type: String?
        var text: String?
        var stopReason: String?

        private enum CodingKeys: String, CodingKey {
            case type, text, stopReason = "stop_reason"
        }
    }

    var type: String?
    var message: Message?
    var delta: Delta?
    var usage: Usage?
    var error: ProviderErrorDetail?
}

/// The request body of `POST /v1/chat/completions` with `stream: true`.
struct OpenAIChatRequest: Encodable {
    struct Message: Encodable {
        var role: String
        var content: String
    }

    struct StreamOptions: Encodable {
        var includeUsage = true

        private enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    var model: String
    /// The system prompt first, as a `system` message (left out when empty).
    var messages: [Message]
    var stream = true
    var streamOptions = StreamOptions()
    var maxTokens: Int

    private enum CodingKeys: String, CodingKey {
        case model, messages, stream, streamOptions = "stream_options", maxTokens = "max_tokens"
    }

    init(_ prompt: ReplyPrompt, configuration: ReplyModelConfiguration) {
        model = configuration.model
        let system = prompt.system.isEmpty ? [] : [Message(role: "system", content: prompt.system)]
        messages = system + prompt.messages.map { Message(role: $0.role.rawValue, content: $0.content) }
        maxTokens = configuration.maxTokens(for: prompt)
    }
}

/// One `data:` chunk of a chat-completions stream: the fields LiveHub reads. Servers add
/// others (`timings`, `system_fingerprint`, `logprobs`, `reasoning_content`); they are ignored.
struct OpenAIChatChunk: Decodable {
    struct Choice: Decodable {
        struct Delta: Decodable {
            var content: String?
        }

        var delta: Delta?
        var finishReason: String?

        private enum CodingKeys: String, CodingKey { case delta, finishReason = "finish_reason" }
    }

    struct Usage: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?

        private enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens", completionTokens = "completion_tokens"
        }
    }

    /// Empty or null on the usage chunk.
    var choices: [Choice]?
    var usage: Usage?
    /// vLLM's (and OpenAI's) mid-stream error: `{"error": {"message", "type", ...}}`.
    var error: ProviderErrorDetail?
    /// Older vLLM sends the error object itself: `{"object": "error", "message", "type"}`.
    var object: String?
    var message: String?
    var type: String?
}

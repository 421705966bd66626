/// Which provider to call, where, with which model and limits.
///
/// Build one in code or read it from the environment with `fromEnvironment(_:)`; hand it to
/// `ReplyModels.make`. Its descriptions hide the API key, so logging a configuration is safe.
public struct ReplyModelConfiguration: Sendable, Hashable {
    /// The wire format spoken to the server.
    public enum Provider: String, Sendable, Hashable {
        /// Anthropic's Messages API (`POST /v1/messages`).
        case anthropic
        /// Any OpenAI-compatible chat-completions server: OpenAI, vLLM, llama.cpp, Ollama
        /// (`POST /v1/chat/completions`).
        case openai

        /// Where the provider's public API lives, used when no base URL is configured.
        public var defaultBaseURL: String {
            switch self {
            case .anthropic: return "https://api.anthropic.com"
            case .openai: return "https://api.openai.com"
            }
        }
    }

    public var provider: Provider
    /// Scheme, host and optional port and path prefix, without `/v1` (a trailing `/v1` or `/`
    /// is tolerated and dropped): requests go to `{baseURL}/v1/...`.
    public var baseURL: String
    /// Sent as `x-api-key` (Anthropic) or `Authorization: Bearer` (OpenAI-compatible; the
    /// header is left out when nil). Never logged.
    public var apiKey: String?
    /// The model name sent in every request.
    public var model: String
    /// The longest wait for the first text, counted from the start of the request.
    public var firstTokenTimeout: Duration
    /// The longest silence (no bytes at all) tolerated once a request has started.
    public var idleTimeout: Duration
    /// The ceiling on `max_tokens`; a prompt may ask for less.
    public var maxTokens: Int

    public init(
        provider: Provider, baseURL: String? = nil, apiKey: String?, model: String,
        firstTokenTimeout: Duration = .seconds(8), idleTimeout: Duration = .seconds(30), maxTokens: Int = 300
    ) {
        self.provider = provider
        self.baseURL = baseURL ?? provider.defaultBaseURL
        self.apiKey = apiKey
        self.model = model
        self.firstTokenTimeout = firstTokenTimeout
        self.idleTimeout = idleTimeout
        self.maxTokens = maxTokens
    }

    /// `{baseURL}/v1/{path}` with the tolerated trailing `/` and `/v1` removed from the base.
    func endpoint(_ path: String) -> String {
        var base = Substring(baseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        if base.hasSuffix("/v1") { base = base.dropLast(3) }
        return "\(base)/v1/\(path)"
    }

    /// The `max_tokens` to send: the prompt's wish within the configured ceiling, at least 1.
    func maxTokens(for prompt: ReplyPrompt) -> Int {
        let ceiling = max(1, maxTokens)
        return prompt.maxTokens > 0 ? min(prompt.maxTokens, ceiling) : ceiling
    }
}

extension ReplyModelConfiguration: CustomStringConvertible, CustomDebugStringConvertible {
    /// Everything but the key, which shows only as present or absent.
    public var description: String {
        "\(provider.rawValue) model \(model) at \(baseURL) (key \(apiKey == nil ? "absent" : "set"), "
            + "first token \(firstTokenTimeout), idle \(idleTimeout), max tokens \(maxTokens))"
    }

    public var debugDescription: String { description }
}

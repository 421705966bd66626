import AsyncHTTPClient
import Logging
import NIOCore

/// An OpenAI-compatible chat-completions server, streamed: `POST {base}/v1/chat/completions`
/// with `Authorization: Bearer` when a key is configured. Works with OpenAI, vLLM, llama.cpp's
/// server and Ollama. See docs/llm.md for the chunks read and the errors.
public struct OpenAIChatModel: ReplyModel {
    public let configuration: ReplyModelConfiguration
    private let http: HTTPClient
    private let logger: Logger

    public var modelName: String { configuration.model }

    public init(configuration: ReplyModelConfiguration, http: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.http = http
        self.logger = logger
    }

    public func stream(_ prompt: ReplyPrompt) -> AsyncThrowingStream<ReplyStreamEvent, any Error> {
        var request = HTTPClientRequest(url: configuration.endpoint("chat/completions"))
        request.method = .POST
        if let key = configuration.apiKey { request.headers.add(name: "authorization", value: "Bearer \(key)") }
        request.headers.add(name: "content-type", value: "application/json")
        let exchange = ReplyStreamExchange(
            request: request, body: OpenAIChatRequest(prompt, configuration: configuration),
            decoder: OpenAIStreamDecoder(), configuration: configuration, http: http, logger: logger)
        return exchange.start()
    }
}

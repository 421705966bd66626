import AsyncHTTPClient
import Logging
import NIOCore

/// Anthropic's Messages API, streamed: `POST {base}/v1/messages` with `x-api-key` and
/// `anthropic-version: 2023-06-01`. See docs/llm.md for the events read and the errors.
public struct AnthropicMessagesModel: ReplyModel {
    /// The `anthropic-version` header value this decoder was written against.
    public static let apiVersion = "2023-06-01"

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
        var request = HTTPClientRequest(url: configuration.endpoint("messages"))
        request.method = .POST
        if let key = configuration.apiKey { request.headers.add(name: "x-api-key", value: key) }
        request.headers.add(name: "anthropic-version", value: Self.apiVersion)
        request.headers.add(name: "content-type", value: "application/json")
        let exchange = ReplyStreamExchange(
            request: request, body: AnthropicRequest(prompt, configuration: configuration),
            decoder: AnthropicStreamDecoder(), configuration: configuration, http: http, logger: logger)
        return exchange.start()
    }
}

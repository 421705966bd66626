import AsyncHTTPClient
import Logging

/// Makes the reply model a configuration describes.
public enum ReplyModels {
    /// The model speaking `configuration.provider`'s wire format. `http` is the caller's
    /// client (it owns its lifetime); `logger` receives provider, model, status and latency,
    /// never the key or the prompt.
    public static func make(_ configuration: ReplyModelConfiguration, http: HTTPClient, logger: Logger) -> any ReplyModel {
        switch configuration.provider {
        case .anthropic: return AnthropicMessagesModel(configuration: configuration, http: http, logger: logger)
        case .openai: return OpenAIChatModel(configuration: configuration, http: http, logger: logger)
        }
    }
}

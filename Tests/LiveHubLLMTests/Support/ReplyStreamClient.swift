import AsyncHTTPClient
import Logging
import LiveHubLLM
import LiveHubTools

/// Runs reply models against a `RecordedStreamServer`.
struct ReplyStreamClient {
    static let apiKey = "sk-test-9f8e7d6c5b4a-SECRET"
    static let prompt = ReplyPrompt(
        system: "You draft short, friendly SMS replies.",
        messages: [
            .init(role: .user, content: "Is the blue sofa still available?"),
            .init(role: .assistant, content: "It is! Want to see it?"),
            .init(role: .user, content: "PROMPT-MARKER can I come Saturday?"),
        ],
        maxTokens: 200)

    static func configuration(
        _ provider: ReplyModelConfiguration.Provider, server: RecordedStreamServer, apiKey: String? = apiKey,
        firstToken: Duration = .seconds(5), idle: Duration = .seconds(5)
    ) -> ReplyModelConfiguration {
        ReplyModelConfiguration(
            provider: provider, baseURL: server.baseURL, apiKey: apiKey, model: provider == .anthropic ? "claude-test" : "gpt-test",
            firstTokenTimeout: firstToken, idleTimeout: idle, maxTokens: 300)
    }

    static func model(_ configuration: ReplyModelConfiguration, logger: Logger = Logger(label: "llm-test") { _ in SwiftLogNoOpLogHandler() }) -> any ReplyModel {
        ReplyModels.make(configuration, http: HTTPClient.shared, logger: logger)
    }

    /// Iterates the whole stream: the concatenated text, the final event, or the error.
    static func collect(_ stream: AsyncThrowingStream<ReplyStreamEvent, any Error>) async -> DecodedReply {
        var reply = DecodedReply()
        do {
            for try await event in stream {
                switch event {
                case .delta(let piece): reply.text += piece
                case .finished: reply.finished = event
                }
            }
        } catch let error as ReplyModelError {
            reply.failure = error
        } catch {
            reply.failure = .transport("unexpected error type: \(error)")
        }
        return reply
    }
}

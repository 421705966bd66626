import Foundation
import LiveHubLLM

/// The recorded streams in `Fixtures/llm` and what each must produce.
enum RecordedStreams {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent("Fixtures/llm/\(name).sse")))
    }

    /// A file, the provider it comes from, and the reply read from it by hand.
    struct Expectation: Sendable, CustomStringConvertible {
        var file: String
        var provider: ReplyModelConfiguration.Provider
        var text: String
        /// The final event, or nil when the stream ends with `failure`.
        var finished: ReplyStreamEvent?
        var failure: ReplyModelError?
        var description: String { file }
    }

    static let all: [Expectation] = [
        Expectation(
            file: "anthropic-basic", provider: .anthropic, text: "Hello there!",
            finished: .finished(stopReason: "end_turn", inputTokens: 11, outputTokens: 6)),
        Expectation(
            file: "anthropic-midstream-error", provider: .anthropic, text: "Happy to",
            failure: .streamError(type: "overloaded_error", message: "Overloaded")),
        Expectation(
            file: "openai-basic", provider: .openai, text: "Foo.",
            finished: .finished(stopReason: "stop", inputTokens: 9, outputTokens: 2)),
        Expectation(
            file: "llamacpp-no-done", provider: .openai, text: "Sure",
            finished: .finished(stopReason: "stop", inputTokens: 1085, outputTokens: 247)),
    ]

    static let files = all.map(\.file)

    /// The offset just past the first occurrence of `marker` in `bytes`.
    static func offset(after marker: String, in bytes: [UInt8]) -> Int? {
        let needle = Array(marker.utf8)
        guard needle.count <= bytes.count else { return nil }
        return (0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }.map { $0 + needle.count }
    }

    /// Every event of `bytes` fed in one piece.
    static func events(_ bytes: [UInt8]) throws -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        var events = try parser.feed(bytes)
        if let last = try parser.finish() { events.append(last) }
        return events
    }

    /// Every event of `bytes` fed in the pieces `cuts` make.
    static func events(_ bytes: [UInt8], cutAt cuts: [Int]) throws -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        var start = 0
        for cut in cuts + [bytes.count] {
            events += try parser.feed(bytes[start..<cut])
            start = cut
        }
        if let last = try parser.finish() { events.append(last) }
        return events
    }
}

/// What a decoder made of a whole stream: the text, the final event or the error.
struct DecodedReply: Equatable {
    var text = ""
    var finished: ReplyStreamEvent?
    var failure: ReplyModelError?

    /// Runs `decoder` over `events` the way `ReplyStreamExchange` does: event by event until
    /// complete, then `finish()` at EOF.
    static func decode(_ events: [ServerSentEvent], with decoder: some ReplyStreamDecoder) -> DecodedReply {
        var decoder = decoder
        var reply = DecodedReply()
        do throws(ReplyModelError) {
            for event in events where !decoder.isComplete {
                reply.take(try decoder.decode(event))
            }
            if !decoder.isComplete { reply.take(try decoder.finish()) }
        } catch {
            reply.failure = error
        }
        return reply
    }

    static func decode(_ events: [ServerSentEvent], provider: ReplyModelConfiguration.Provider) -> DecodedReply {
        switch provider {
        case .anthropic: return decode(events, with: AnthropicStreamDecoder())
        case .openai: return decode(events, with: OpenAIStreamDecoder())
        }
    }

    private mutating func take(_ event: ReplyStreamEvent?) {
        switch event {
        case .delta(let piece): text += piece
        case .finished: finished = event
        case nil: break
        }
    }
}

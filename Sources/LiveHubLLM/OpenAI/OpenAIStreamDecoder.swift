import Foundation

/// Reads a chat-completions stream: text from `choices[0].delta.content`, the stop reason from
/// `finish_reason`, usage from whichever chunk carries it, the end from `data: [DONE]`, and
/// failures from an error object in a data line.
///
/// EOF without `[DONE]` is a normal end once text or a `finish_reason` has arrived (llama.cpp
/// ends this way); EOF before either is `truncated`. Events named other than `message` or
/// `error` are skipped; a named `error` event is read like an error chunk.
package struct OpenAIStreamDecoder: ReplyStreamDecoder {
    package private(set) var isComplete = false
    private var stopReason: String?
    private var inputTokens: Int?
    private var outputTokens: Int?
    private var sawReply = false

    package init() {}

    package mutating func decode(_ event: ServerSentEvent) throws(ReplyModelError) -> ReplyStreamEvent? {
        guard !isComplete else { return nil }
        if let name = event.event, name != "message", name != "error" { return nil }
        if event.data.utf8.count <= 16, event.data.trimmingCharacters(in: .whitespaces) == "[DONE]" {
            isComplete = true
            return finished
        }
        let chunk: OpenAIChatChunk
        do {
            chunk = try JSONDecoder().decode(OpenAIChatChunk.self, from: Data(event.data.utf8))
        } catch {
            throw .malformed("a data line that is not a chat-completion chunk")
        }
        if let error = chunk.error {
            throw .streamError(type: error.type, message: error.message ?? "error without a message")
        }
        if chunk.object == "error" || event.event == "error" {
            throw .streamError(type: chunk.type, message: chunk.message ?? "error without a message")
        }
        if let usage = chunk.usage {
            inputTokens = usage.promptTokens ?? inputTokens
            outputTokens = usage.completionTokens ?? outputTokens
        }
        guard let choice = chunk.choices?.first else { return nil }
        if let reason = choice.finishReason {
            stopReason = reason
            sawReply = true
        }
        guard let text = choice.delta?.content, !text.isEmpty else { return nil }
        sawReply = true
        return .delta(text)
    }

    package mutating func finish() throws(ReplyModelError) -> ReplyStreamEvent? {
        guard !isComplete else { return nil }
        guard sawReply else { throw .truncated }
        isComplete = true
        return finished
    }

    private var finished: ReplyStreamEvent {
        .finished(stopReason: stopReason, inputTokens: inputTokens, outputTokens: outputTokens)
    }
}

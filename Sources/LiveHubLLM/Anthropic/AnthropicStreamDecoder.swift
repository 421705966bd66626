import Foundation

/// Reads a Messages API stream: text from `content_block_delta`/`text_delta`, the stop reason
/// and usage from `message_start` and `message_delta`, the end from `message_stop`, failures
/// from `error`. `ping`, `content_block_start`/`_stop` and unknown events are skipped unread.
package struct AnthropicStreamDecoder: ReplyStreamDecoder {
    package private(set) var isComplete = false
    private var stopReason: String?
    private var inputTokens: Int?
    private var outputTokens: Int?

    /// The events whose JSON matters; everything else is skipped without parsing.
    private static let readEvents: Set<String> = ["message_start", "content_block_delta", "message_delta", "message_stop", "error"]

    package init() {}

    package mutating func decode(_ event: ServerSentEvent) throws(ReplyModelError) -> ReplyStreamEvent? {
        guard !isComplete else { return nil }
        // The JSON's `type` repeats the event name; it is only needed when the name is missing.
        if let name = event.event, !Self.readEvents.contains(name) { return nil }
        let payload: AnthropicStreamEvent
        do {
            payload = try JSONDecoder().decode(AnthropicStreamEvent.self, from: Data(event.data.utf8))
        } catch {
            throw .malformed("\(event.event ?? "an") event whose data is not the expected JSON")
        }
        switch event.event ?? payload.type {
        case "message_start":
            inputTokens = payload.message?.usage?.inputTokens ?? inputTokens
            outputTokens = payload.message?.usage?.outputTokens ?? outputTokens
        case "content_block_delta":
            if payload.delta?.type == "text_delta", let text = payload.delta?.text, !text.isEmpty { return .delta(text) }
        case "message_delta":
            stopReason = payload.delta?.stopReason ?? stopReason
            // Usage here is cumulative: it replaces what message_start said.
            inputTokens = payload.usage?.inputTokens ?? inputTokens
            outputTokens = payload.usage?.outputTokens ?? outputTokens
        case "message_stop":
            isComplete = true
            return .finished(stopReason: stopReason, inputTokens: inputTokens, outputTokens: outputTokens)
        case "error":
            throw .streamError(type: payload.error?.type, message: payload.error?.message ?? "error event without a message")
        default:
            break
        }
        return nil
    }

    /// A Messages stream always ends with `message_stop`: EOF before it is `truncated`.
    package mutating func finish() throws(ReplyModelError) -> ReplyStreamEvent? {
        guard isComplete else { throw .truncated }
        return nil
    }
}

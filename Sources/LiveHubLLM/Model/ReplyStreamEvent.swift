/// One event of a streamed reply: text as it is generated, then exactly one `finished`.
public enum ReplyStreamEvent: Sendable, Hashable {
    /// The next piece of the reply's text (never empty).
    case delta(String)
    /// The reply is complete. `stopReason` is the provider's word for why (`end_turn`,
    /// `max_tokens`, `stop`, `length`, ...); token counts are present when the provider sent them.
    case finished(stopReason: String?, inputTokens: Int?, outputTokens: Int?)
}

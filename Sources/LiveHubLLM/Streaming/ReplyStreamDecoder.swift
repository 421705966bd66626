/// Turns one provider's Server-Sent Events into reply events. A decoder is a value for one
/// stream; it keeps what it needs for the closing `.finished` (stop reason, token counts).
package protocol ReplyStreamDecoder: Sendable {
    /// True once the provider's end marker has been read: nothing after it matters.
    var isComplete: Bool { get }
    /// The reply event that `event` carries, if any; throws the provider's mid-stream error or
    /// `malformed` for data that is not the provider's JSON.
    mutating func decode(_ event: ServerSentEvent) throws(ReplyModelError) -> ReplyStreamEvent?
    /// The stream reached EOF before `isComplete`: the closing event when the provider may end
    /// this way, or `truncated`.
    mutating func finish() throws(ReplyModelError) -> ReplyStreamEvent?
}

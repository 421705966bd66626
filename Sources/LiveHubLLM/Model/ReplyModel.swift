/// A language model that drafts a reply, streamed as it is generated.
///
/// `stream(_:)` starts the request at once. The stream yields `.delta`s, then one `.finished`,
/// or ends by throwing a `ReplyModelError`. Ending the iteration early (or cancelling the task
/// that iterates) cancels the HTTP request.
public protocol ReplyModel: Sendable {
    /// The provider's model name, as sent in requests.
    var modelName: String { get }
    func stream(_ prompt: ReplyPrompt) -> AsyncThrowingStream<ReplyStreamEvent, any Error>
}

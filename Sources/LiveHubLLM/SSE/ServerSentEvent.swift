/// One event dispatched by `ServerSentEventParser`: its `event:` name, if any, and its data
/// lines joined with `\n`.
package struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field; nil when the event had none (the SSE default, "message").
    package var event: String?
    package var data: String

    package init(event: String? = nil, data: String) {
        self.event = event
        self.data = data
    }
}

import Coaching
import Foundation

/// The frames of one draft, sent to the agent who asked (never to a topic):
/// `reply.draft.delta` as text arrives, then `reply.draft.done` or `reply.draft.failed`.
enum DraftFrames {
    struct Delta: Encodable {
        let type = "reply.draft.delta"
        let draftId: String
        let conversationId: String
        /// `hot_lead` for a draft nobody asked for (absent when the agent asked).
        let trigger: String?
        let text: String
    }

    struct Done: Encodable {
        let type = "reply.draft.done"
        let draftId: String
        let conversationId: String
        let trigger: String?
        let text: String
        let model: String
        /// From the ask to the last byte, and to the first text.
        let latencyMs: Int
        let firstTokenMs: Int?
        /// False when a guardrail flagged the text: the console must not offer to send it as is.
        let sendable: Bool
        let flags: [DraftFlag]
    }

    struct Failed: Encodable {
        let type = "reply.draft.failed"
        let draftId: String
        let conversationId: String
        let trigger: String?
        let reason: String
        /// The playbook's replies for the last lead message, instead of a draft.
        let replies: [SuggestedReply]
    }

    static func frame(_ value: some Encodable) -> ServerFrame {
        let data = (try? JSONEncoder().encode(value)) ?? Data(#"{"type":"reply.draft.failed","reason":"unencodable frame"}"#.utf8)
        return ServerFrame(text: String(decoding: data, as: UTF8.self), topic: nil, seq: nil)
    }
}

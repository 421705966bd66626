import Coaching

/// `call.transcribed`: what was said on a call, sentence by sentence.
public struct CallTranscribedPayload: Sendable, Codable, Hashable {
    public var messageId: String
    public var sentences: [AttributedSentence]
    public var durationSeconds: Double?
    /// How the sentences were attributed (`direction`, or `channel:{n}` when configured).
    public var attribution: String

    public init(messageId: String, sentences: [AttributedSentence], durationSeconds: Double?, attribution: String) {
        self.messageId = messageId
        self.sentences = sentences
        self.durationSeconds = durationSeconds
        self.attribution = attribution
    }
}

/// `call.transcription_failed`: LiveHub gave up on a call's transcript, and why.
public struct CallTranscriptionFailedPayload: Sendable, Codable, Hashable {
    public var messageId: String
    public var reason: String
    public var attempts: Int

    public init(messageId: String, reason: String, attempts: Int) {
        self.messageId = messageId
        self.reason = reason
        self.attempts = attempts
    }
}

/// Who said a sentence of a call. `unknown` when the recording cannot tell the sides apart
/// (a mono recording, an unexpected channel): coaching reads such sentences as the lead's,
/// because missing a lead's objection costs more than misreading an agent's line, and the
/// summary says that the speakers were not told apart.
public enum CallSpeaker: String, Sendable, Hashable, Codable {
    case lead, agent, unknown

    /// The speaker the analyzer is told: unknown sentences are analysed as the lead's.
    public var coachingSpeaker: AnalysisContext.Speaker { self == .agent ? .agent : .lead }
}

/// One transcript sentence with its speaker, as `CallAttribution` decided it.
public struct AttributedSentence: Sendable, Hashable, Codable {
    public var speaker: CallSpeaker
    public var text: String
    /// The recording channel it came from, kept so a wrong attribution can be diagnosed.
    public var channel: String
    /// Seconds from the start of the recording.
    public var startTime: Double?
    public var endTime: Double?

    public init(speaker: CallSpeaker, text: String, channel: String = "", startTime: Double? = nil, endTime: Double? = nil) {
        self.speaker = speaker
        self.text = text
        self.channel = channel
        self.startTime = startTime
        self.endTime = endTime
    }
}

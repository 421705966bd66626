/// Which way a call went, as GHL's message `direction` says: `inbound` when the lead called.
public enum CallDirection: String, Sendable, Hashable, Codable { case inbound, outbound }

/// Decides which recording channel of a call is the lead and which the agent.
///
/// GHL does not document what `mediaChannel` values mean. GHL calls run on Twilio, whose
/// dual-channel recordings put the party that placed the call (`from`) on the first channel and
/// the party called (`to`) on the second. So the default rule, `.byDirection`, orders the two
/// channels of the transcript (numerically when both are numbers, else as text) and reads the
/// first as the caller: on an *inbound* call the lead called, so the lead is the first channel
/// ("1"); on an *outbound* call the agent called, so the lead is the second ("2"). Ordering the
/// channels rather than naming "1" and "2" keeps the rule right if GHL numbers them from 0.
///
/// When a location's recordings turn out to be the other way round, `.leadChannel("2")` fixes
/// the lead's channel regardless of direction; every other channel is then the agent's side.
/// Configure it per location or server as JSON: `{"leadChannel": "2"}`, or `{}` for the default.
///
/// Sentences that cannot be attributed are marked `unknown`: every sentence of a mono
/// recording (one channel carries both voices), sentences without a channel, channels beyond
/// the first two under `.byDirection`, and all sentences when the fixed lead channel is not in
/// the transcript at all (the configuration does not fit this recording).
public struct CallAttribution: Sendable, Hashable, Codable {
    /// How the lead's channel is chosen.
    public enum Rule: Sendable, Hashable {
        /// Caller on the first channel, callee on the second; the lead is whichever called or was called.
        case byDirection
        /// The lead is always on this channel.
        case leadChannel(String)
    }

    public var rule: Rule

    public init(_ rule: Rule = .byDirection) {
        self.rule = rule
    }

    enum CodingKeys: String, CodingKey { case leadChannel }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let channel = try c.decodeIfPresent(String.self, forKey: .leadChannel)
        rule = channel.map { .leadChannel($0) } ?? .byDirection
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if case .leadChannel(let channel) = rule { try c.encode(channel, forKey: .leadChannel) }
    }

    /// The sentences in their order, each with its speaker.
    public func attribute(_ sentences: [TranscriptSentence], direction: CallDirection) -> [AttributedSentence] {
        let speakers = speakersByChannel(sentences, direction: direction)
        return sentences.map { s in
            AttributedSentence(speaker: speakers[s.mediaChannel] ?? .unknown, text: s.transcript, channel: s.mediaChannel, startTime: s.startTime, endTime: s.endTime)
        }
    }

    /// The speaker of each channel that can be attributed; channels left out are unknown.
    func speakersByChannel(_ sentences: [TranscriptSentence], direction: CallDirection) -> [String: CallSpeaker] {
        var channels: [String] = []
        for s in sentences where !s.mediaChannel.isEmpty && !channels.contains(s.mediaChannel) { channels.append(s.mediaChannel) }
        // One channel carries both voices: nothing tells the lead from the agent.
        guard channels.count >= 2 else { return [:] }
        switch rule {
        case .leadChannel(let lead):
            guard channels.contains(lead) else { return [:] }
            var out: [String: CallSpeaker] = [:]
            for c in channels { out[c] = c == lead ? .lead : .agent }
            return out
        case .byDirection:
            let ordered = Self.ordered(channels)
            let caller = ordered[0]
            let callee = ordered[1]
            return direction == .inbound ? [caller: .lead, callee: .agent] : [caller: .agent, callee: .lead]
        }
    }

    /// Numeric order when every channel is a number ("2" < "10"), text order otherwise.
    static func ordered(_ channels: [String]) -> [String] {
        let numbers = channels.compactMap { Double($0) }
        if numbers.count == channels.count {
            return channels.sorted { (Double($0) ?? 0) < (Double($1) ?? 0) }
        }
        return channels.sorted()
    }
}

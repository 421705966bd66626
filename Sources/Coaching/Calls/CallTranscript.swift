import Foundation

/// One sentence of a call transcript as GHL returns it from
/// `GET /conversations/locations/{locationId}/messages/{messageId}/transcription`:
/// `{mediaChannel, sentenceIndex, startTime, endTime, transcript, confidence}`.
///
/// GHL does not document the field types, so decoding is lenient where it costs nothing:
/// `mediaChannel` may be a number or a string (kept as a string: `1` and `"1"` are the same
/// channel), times and confidence may be missing, and numbers may arrive as strings. Only
/// `transcript` is required. Use `decodeList` on the response body.
public struct TranscriptSentence: Sendable, Hashable, Codable {
    /// Which audio channel of the recording the sentence was heard on ("1", "2"), or "" when GHL
    /// sent none. `CallAttribution` turns channels into speakers.
    public var mediaChannel: String
    /// The sentence's position in the call. When GHL sends none, `decodeList` uses the
    /// sentence's position in the array (a lone decoded sentence keeps -1).
    public var sentenceIndex: Int
    /// Seconds from the start of the recording.
    public var startTime: Double?
    public var endTime: Double?
    public var transcript: String
    /// The recogniser's confidence in 0…1, when given.
    public var confidence: Double?

    public init(mediaChannel: String, sentenceIndex: Int, startTime: Double? = nil, endTime: Double? = nil, transcript: String, confidence: Double? = nil) {
        self.mediaChannel = mediaChannel
        self.sentenceIndex = sentenceIndex
        self.startTime = startTime
        self.endTime = endTime
        self.transcript = transcript
        self.confidence = confidence
    }

    enum CodingKeys: String, CodingKey { case mediaChannel, sentenceIndex, startTime, endTime, transcript, confidence }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mediaChannel = Self.channel(c, .mediaChannel) ?? ""
        // -1 marks "not given"; `decodeList` replaces it with the array position.
        sentenceIndex = Self.number(c, .sentenceIndex).flatMap { abs($0) < 1e15 ? Int($0) : nil } ?? -1
        startTime = Self.number(c, .startTime)
        endTime = Self.number(c, .endTime)
        transcript = try c.decode(String.self, forKey: .transcript)
        confidence = Self.number(c, .confidence)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(mediaChannel, forKey: .mediaChannel)
        try c.encode(sentenceIndex, forKey: .sentenceIndex)
        try c.encodeIfPresent(startTime, forKey: .startTime)
        try c.encodeIfPresent(endTime, forKey: .endTime)
        try c.encode(transcript, forKey: .transcript)
        try c.encodeIfPresent(confidence, forKey: .confidence)
    }

    /// Decodes GHL's transcription response (a JSON array of sentences), in spoken order:
    /// sorted by `sentenceIndex`, then `startTime`, then position in the array; sentences with
    /// no words are dropped. Throws on anything that is not an array of sentence objects.
    public static func decodeList(_ data: Data) throws -> [TranscriptSentence] {
        var sentences = try JSONDecoder().decode([TranscriptSentence].self, from: data)
        for i in sentences.indices where sentences[i].sentenceIndex < 0 { sentences[i].sentenceIndex = i }
        let ordered = sentences.enumerated().sorted { a, b in
            if a.element.sentenceIndex != b.element.sentenceIndex { return a.element.sentenceIndex < b.element.sentenceIndex }
            // A sentence without a start time goes after those with one at the same index.
            switch (a.element.startTime, b.element.startTime) {
            case let (x?, y?) where x != y: return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.offset < b.offset
            }
        }
        return ordered.map(\.element).filter { !$0.transcript.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }

    /// A channel written as a number (`1`, `1.0`) or a string (`"1"`), as a string.
    static func channel(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) -> String? {
        if let s = try? c.decode(String.self, forKey: key) { return s.trimmingCharacters(in: .whitespaces) }
        if let i = try? c.decode(Int.self, forKey: key) { return String(i) }
        if let d = try? c.decode(Double.self, forKey: key), d.isFinite {
            return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        }
        return nil
    }

    /// A number written as a JSON number or a numeric string; nil when missing, null or neither.
    static func number(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) -> Double? {
        if let d = try? c.decode(Double.self, forKey: key), d.isFinite { return d }
        if let s = try? c.decode(String.self, forKey: key), let d = Double(s.trimmingCharacters(in: .whitespaces)), d.isFinite { return d }
        return nil
    }
}

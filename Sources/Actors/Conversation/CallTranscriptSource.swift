import Coaching

/// What a transcript fetch found.
public enum TranscriptFetch: Sendable, Hashable {
    /// The sentences, attributed, and how (`direction`, `channel:{n}`).
    case ready([AttributedSentence], attribution: String)
    /// Not there yet (GHL answers 404 or an empty list until it is): try again later.
    case notYet(String)
    /// It will never come (no credentials, 401/403, a malformed answer): give up now.
    case failed(String)
}

/// Where a conversation gets its calls' transcripts (GHL's API, through the server).
public protocol CallTranscriptSource: Sendable {
    func transcript(location: String, messageId: String, direction: String) async -> TranscriptFetch
}

/// How often, and how long, a call's transcript is asked for.
public struct TranscriptPolicy: Sendable, Hashable {
    /// After the call ends, the first fetch waits this long (GHL needs time to transcribe).
    public var firstDelay: Double
    /// The wait after the n-th "not yet" is `backoff · 2^(n−1)`, at most `maxBackoff`.
    public var backoff: Double
    public var maxBackoff: Double
    /// Fetches before giving up.
    public var maxAttempts: Int
    /// A fetch whose answer never came (the node stopped) is asked again after this long.
    public var watchdog: Double

    public init(firstDelay: Double = 20, backoff: Double = 20, maxBackoff: Double = 600, maxAttempts: Int = 8, watchdog: Double = 120) {
        self.firstDelay = firstDelay
        self.backoff = backoff
        self.maxBackoff = maxBackoff
        self.maxAttempts = maxAttempts
        self.watchdog = watchdog
    }

    func delay(afterAttempts n: Int) -> Double { min(maxBackoff, backoff * pow2(max(0, n - 1))) }
    private func pow2(_ n: Int) -> Double { Double(1 << min(n, 20)) }
}

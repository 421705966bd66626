/// Why a streamed reply failed. Descriptions are short, meant for logs and for the agent's
/// screen, and never contain the API key (messages from providers are scrubbed of it).
public enum ReplyModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The provider answered with a non-200 status before any stream, with its error type and message.
    case rejected(status: Int, type: String?, message: String)
    /// The provider reported an error inside a stream that had started with 200.
    case streamError(type: String?, message: String)
    /// No text arrived within the first-token timeout, counted from the start of the request.
    case firstTokenTimeout(seconds: Double)
    /// The stream went quiet (no bytes at all) for the idle timeout.
    case stalled(seconds: Double)
    /// Connecting, sending or reading failed.
    case transport(String)
    /// The stream held something that is not the provider's format (bad JSON, an oversized line).
    case malformed(String)
    /// The stream ended at EOF before the provider's end marker (Anthropic's `message_stop`;
    /// for OpenAI-compatible servers, EOF before any chunk).
    case truncated

    public var description: String {
        switch self {
        case .rejected(let status, let type, let message):
            return "provider rejected the request: HTTP \(status)\(type.map { " \($0)" } ?? ""): \(message)"
        case .streamError(let type, let message):
            return "provider error mid-stream\(type.map { " (\($0))" } ?? ""): \(message)"
        case .firstTokenTimeout(let seconds):
            return "no reply text within \(Self.format(seconds)) s"
        case .stalled(let seconds):
            return "reply stream stalled for \(Self.format(seconds)) s"
        case .transport(let detail):
            return "connection to the provider failed: \(detail)"
        case .malformed(let detail):
            return "malformed reply stream: \(detail)"
        case .truncated:
            return "reply stream ended before its end marker"
        }
    }

    private static func format(_ seconds: Double) -> String {
        if let whole = Int(exactly: seconds) { return String(whole) }
        return String(seconds)
    }
}

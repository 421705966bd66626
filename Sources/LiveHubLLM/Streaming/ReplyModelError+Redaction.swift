extension ReplyModelError {
    /// The same error with every occurrence of `secret` replaced, so that a provider echoing
    /// the key in an error message (or a transport error quoting a URL) cannot leak it.
    func redacting(_ secret: String?) -> ReplyModelError {
        guard let secret, !secret.isEmpty else { return self }
        func clean(_ text: String) -> String { text.replacing(secret, with: "[redacted]") }
        switch self {
        case .rejected(let status, let type, let message):
            return .rejected(status: status, type: type.map(clean), message: clean(message))
        case .streamError(let type, let message):
            return .streamError(type: type.map(clean), message: clean(message))
        case .transport(let detail):
            return .transport(clean(detail))
        case .malformed(let detail):
            return .malformed(clean(detail))
        case .firstTokenTimeout, .stalled, .truncated:
            return self
        }
    }
}

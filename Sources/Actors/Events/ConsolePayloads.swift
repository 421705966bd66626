/// `card.dismissed`: an agent put a coaching card away. Recorded so that supervisors and the
/// playbook's authors see which cards are used and which are not.
public struct CardDismissedPayload: Sendable, Codable, Hashable {
    /// The `seq` of the `coaching.card` event.
    public var cardSeq: UInt64
    public var kind: String
    public var title: String
    public var templateId: String?
    public var by: String

    public init(cardSeq: UInt64, kind: String, title: String, templateId: String?, by: String) {
        self.cardSeq = cardSeq
        self.kind = kind
        self.title = title
        self.templateId = templateId
        self.by = by
    }
}

/// `alert.acknowledged`: a supervisor took an alert in hand; it leaves the conversation's
/// `attention`.
public struct AlertAcknowledgedPayload: Sendable, Codable, Hashable {
    /// The `seq` of the `alert` event.
    public var alertSeq: UInt64
    public var reason: String
    public var by: String

    public init(alertSeq: UInt64, reason: String, by: String) {
        self.alertSeq = alertSeq
        self.reason = reason
        self.by = by
    }
}

/// An alert not acknowledged yet, kept in the conversation's state.
public struct OpenAlert: Sendable, Codable, Hashable {
    public var seq: UInt64
    public var reason: String

    public init(seq: UInt64, reason: String) {
        self.seq = seq
        self.reason = reason
    }
}

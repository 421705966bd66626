/// Whether a drafted reply may be offered for sending, and every reason it may not.
public struct DraftVerdict: Sendable, Hashable, Codable {
    public var flags: [DraftFlag]
    /// True only when there are no flags at all.
    public var sendable: Bool { flags.isEmpty }

    public init(flags: [DraftFlag]) {
        self.flags = flags
    }

    public func has(_ kind: DraftFlag.Kind) -> Bool { flags.contains { $0.kind == kind } }
}

/// One problem in a draft, with the words of the draft that show it.
public struct DraftFlag: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The lead opted out: nothing may be sent, however it is worded.
        case optedOut = "opted_out"
        case empty
        /// An SMS over 320 characters.
        case tooLong = "too_long"
        /// An amount of money that appears nowhere in the context.
        case unsupportedPrice = "unsupported_price"
        /// A day or clock time that no message, guidance or instruction mentions.
        case unsupportedDate = "unsupported_date"
        /// A street address that is neither the listing's nor in the conversation.
        case unsupportedAddress = "unsupported_address"
        /// A phone number or e-mail address not in the context.
        case unsupportedContact = "unsupported_contact"
        /// A link not in the context.
        case unsupportedLink = "unsupported_link"
        /// A guarantee, a waiver, a prediction or legal, tax or lending advice.
        case unsupportedPromise = "unsupported_promise"
        /// Wording that steers by neighborhood, schools or who a home suits (Fair Housing Act).
        case fairHousing = "fair_housing"
        /// What the compliance rules flag in a lead's message: legal threats, abuse.
        case compliance
    }

    public var kind: Kind
    public var evidence: String

    public init(kind: Kind, evidence: String) {
        self.kind = kind
        self.evidence = evidence
    }
}

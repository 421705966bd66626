/// Everything concrete a message mentions, each with the text it came from.
public struct Entities: Sendable, Hashable, Codable {
    public var money: [MoneyMention] = []
    public var percentages: [PercentMention] = []
    public var rooms: RoomCounts?
    public var dates: [DateMention] = []
    public var phones: [Mention] = []
    public var emails: [Mention] = []
    public var addresses: [Mention] = []
    /// The amount the lead says a lender pre-approved, when stated.
    public var preApproval: MoneyMention?
    public var loanType: LoanTypeMention?

    public init() {}

    public var isEmpty: Bool {
        money.isEmpty && percentages.isEmpty && rooms == nil && dates.isEmpty && phones.isEmpty
            && emails.isEmpty && addresses.isEmpty && preApproval == nil && loanType == nil
    }
}

/// A span of text recognised as one thing (a phone number, an address).
public struct Mention: Sendable, Hashable, Codable {
    public let text: String
    /// A canonical form: digits for phones, the lower-cased address for e-mails.
    public let value: String
}

public struct MoneyMention: Sendable, Hashable, Codable {
    public let amount: Double
    public let text: String
    /// How sure the extractor is that this number is money: `explicit` ("$", "k", "dollars",
    /// separators) or `contextual` (a bare number read as a price because of the listing).
    public let basis: Basis

    public enum Basis: String, Sendable, Codable { case explicit, contextual }
}

public struct PercentMention: Sendable, Hashable, Codable {
    public let value: Double
    public let text: String
    /// What the percentage is relative to, when said: "under asking" → `.belowAsking`.
    public let relation: Relation?

    public enum Relation: String, Sendable, Codable { case belowAsking = "below_asking", aboveAsking = "above_asking" }
}

public struct RoomCounts: Sendable, Hashable, Codable {
    public var bedrooms: Double?
    public var bathrooms: Double?
    public var evidence: [String] = []
}

/// A day or time reference, kept relative: the engine has no clock, the caller resolves it.
public struct DateMention: Sendable, Hashable, Codable {
    public let text: String
    /// 1 = Sunday … 7 = Saturday, as in Foundation's Calendar.
    public var weekday: Int?
    /// Days from the message's own day ("today" 0, "tomorrow" 1).
    public var dayOffset: Int?
    public var month: Int?
    public var day: Int?
    /// 24-hour clock.
    public var hour: Int?
    public var minute: Int?
    /// "after 5" → after; "before noon" → before; "around 3" → around.
    public var qualifier: String?
    /// "morning", "afternoon", "evening", "weekend".
    public var period: String?
}

public struct LoanTypeMention: Sendable, Hashable, Codable {
    public let type: LoanType
    public let text: String
}

public enum LoanType: String, Sendable, Codable, CaseIterable {
    case cash, fha, va, conventional, usda, jumbo
}

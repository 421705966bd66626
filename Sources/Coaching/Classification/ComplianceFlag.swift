/// A compliance label with the words that triggered it.
public struct ComplianceFlag: Sendable, Hashable, Codable {
    public let kind: ComplianceKind
    public let evidence: [String]
    /// The language the rule matched in (Spanish opt-outs are answered in Spanish).
    public let language: Language
    /// Which rule fired, for people tuning the rules.
    public let rule: String
}

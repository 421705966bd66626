/// Everything the engine reads from one message, each label with the words behind it.
public struct MessageAnalysis: Sendable, Hashable, Codable {
    public struct IntentScore: Sendable, Hashable, Codable {
        public let intent: Intent
        public let confidence: Double
        public let evidence: [String]
        /// `rule` when a compliance rule decided (opt-out), `model` otherwise.
        public let source: Source

        public enum Source: String, Sendable, Codable, Hashable { case rule, model }
    }

    public let intent: IntentScore
    public let runnerUp: IntentScore?
    public let objections: [DetectedObjection]
    public let sentiment: Sentiment
    public let timeline: Timeline
    public let entities: Entities
    public let compliance: [ComplianceFlag]
    public let language: Language
    public let speaker: AnalysisContext.Speaker

    public func has(_ kind: ComplianceKind) -> Bool { compliance.contains { $0.kind == kind } }
    public var isOptOut: Bool { has(.optOut) }
    public func has(_ objection: Objection) -> Bool { objections.contains { $0.objection == objection } }
}

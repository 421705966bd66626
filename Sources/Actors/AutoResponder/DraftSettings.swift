/// A location's AI-drafted replies: off unless an admin turns them on. Drafts are only ever
/// shown to the agent who asked; nothing sends model text automatically.
public struct DraftSettings: Sendable, Codable, Hashable {
    public var enabled: Bool
    /// The model to ask; nil: the server's configured one (`LIVEHUB_LLM_MODEL`).
    public var model: String?
    /// Drafts per hour for the whole location; asks beyond it get the playbook replies.
    public var maxPerHour: Int
    /// Draft at once, unasked, when a lead message scores hot: streamed to the agent the
    /// conversation is assigned to (or taken over by), on `agent:{userId}`.
    public var autoForHotLeads: Bool

    public init(enabled: Bool = false, model: String? = nil, maxPerHour: Int = 60, autoForHotLeads: Bool = false) {
        self.enabled = enabled
        self.model = model
        self.maxPerHour = maxPerHour
        self.autoForHotLeads = autoForHotLeads
    }

    enum CodingKeys: String, CodingKey { case enabled, model, maxPerHour, autoForHotLeads }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = DraftSettings()
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
        model = try c.decodeIfPresent(String.self, forKey: .model)
        maxPerHour = try c.decodeIfPresent(Int.self, forKey: .maxPerHour) ?? d.maxPerHour
        autoForHotLeads = try c.decodeIfPresent(Bool.self, forKey: .autoForHotLeads) ?? d.autoForHotLeads
    }

    func validate() throws(AutoResponderSettings.Invalid) {
        guard (0...3_600).contains(maxPerHour) else { throw .init(field: "drafts.maxPerHour", problem: "must be 0…3600") }
        if let model, model.isEmpty || model.count > 200 { throw .init(field: "drafts.model", problem: "must be 1…200 characters") }
    }
}

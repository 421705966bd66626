import Foundation

/// Reply templates and coaching cards, loaded from a JSON file a team can edit without
/// touching Swift. Loading validates everything, so a broken playbook fails at start-up with
/// a message naming the entry and the problem, never later in front of a lead.
public struct PlaybookSet: Sendable {
    public static let format = "livehub-playbooks/1"

    public let replies: [ReplyTemplate]
    public let cards: [CardTemplate]
    /// Each reply's placeholders, parsed once at load (template id → placeholders).
    let placeholders: [String: [PlaybookValidator.Placeholder]]
    /// Replies answering each intent (and no objection), and each objection, in file order.
    let byIntent: [Intent: [ReplyTemplate]]
    let byObjection: [Objection: [ReplyTemplate]]

    public init(replies: [ReplyTemplate], cards: [CardTemplate]) throws {
        try PlaybookValidator.validate(replies: replies, cards: cards)
        self.replies = replies
        self.cards = cards
        var parsed: [String: [PlaybookValidator.Placeholder]] = [:]
        for r in replies { parsed[r.id] = try PlaybookValidator.placeholders(r.text, entry: r.id) }
        self.placeholders = parsed
        byIntent = Dictionary(grouping: replies.filter { $0.intent != nil && $0.objection == nil }, by: { $0.intent ?? .other })
        byObjection = Dictionary(grouping: replies.filter { $0.objection != nil }, by: { $0.objection ?? .trust })
    }

    public init(json: Data) throws {
        struct File: Decodable {
            var format: String
            var replies: [ReplyTemplate]
            var cards: [CardTemplate]
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: json)
        } catch let error as DecodingError {
            throw PlaybookError(entry: nil, problem: PlaybookError.describe(error))
        }
        guard file.format == Self.format else {
            throw PlaybookError(entry: nil, problem: "format is \"\(file.format)\", expected \"\(Self.format)\"")
        }
        try self.init(replies: file.replies, cards: file.cards)
    }
}

/// One suggested-reply template.
public struct ReplyTemplate: Sendable, Hashable, Codable {
    public var id: String
    /// The intent it answers; a template names an intent, an objection, or both.
    public var intent: Intent?
    public var objection: Objection?
    public var language: Language
    /// Text with `{slot}` or `{slot|fallback}` placeholders.
    public var text: String
    /// Slots that must be known for this template to be offered at all: a reply never
    /// promises showing times, a price or a status the conversation does not have.
    public var requires: [Slot]
    /// Template quality in 0…1, multiplied by the intent's confidence.
    public var confidence: Double
    public var autoSendable: Bool

    enum CodingKeys: String, CodingKey { case id, intent, objection, language, text, requires, confidence, autoSendable }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        intent = try c.decodeIfPresent(Intent.self, forKey: .intent)
        objection = try c.decodeIfPresent(Objection.self, forKey: .objection)
        language = try c.decodeIfPresent(Language.self, forKey: .language) ?? .english
        text = try c.decode(String.self, forKey: .text)
        requires = try c.decodeIfPresent([Slot].self, forKey: .requires) ?? []
        confidence = try c.decodeIfPresent(Double.self, forKey: .confidence) ?? 0.8
        autoSendable = try c.decodeIfPresent(Bool.self, forKey: .autoSendable) ?? true
    }

    public init(id: String, intent: Intent? = nil, objection: Objection? = nil, language: Language = .english, text: String, requires: [Slot] = [], confidence: Double = 0.8, autoSendable: Bool = true) {
        self.id = id
        self.intent = intent
        self.objection = objection
        self.language = language
        self.text = text
        self.requires = requires
        self.confidence = confidence
        self.autoSendable = autoSendable
    }
}

/// One coaching-card template, keyed by intent, objection or compliance label.
public struct CardTemplate: Sendable, Hashable, Codable {
    public var id: String
    public var kind: CoachingCard.Kind
    public var intent: Intent?
    public var objection: Objection?
    public var compliance: ComplianceKind?
    public var title: String
    public var body: String
    public var priority: CoachingCard.Priority
}

/// The values a template may use.
public enum Slot: String, Sendable, Hashable, Codable, CaseIterable {
    case leadFirstName = "lead_first_name"
    case agentName = "agent_name"
    case property
    case showingTimes = "showing_times"
    case listingPrice = "listing_price"
    case listingStatus = "listing_status"

    /// The longest value a slot is filled with; validation uses it to keep replies within SMS length.
    var maxLength: Int {
        switch self {
        case .leadFirstName, .agentName: return 24
        case .property: return 48
        case .showingTimes: return 48
        case .listingPrice: return 12
        case .listingStatus: return 20
        }
    }
}

public struct PlaybookError: Error, CustomStringConvertible, Equatable {
    public let entry: String?
    public let problem: String

    public var description: String {
        entry.map { "playbook entry \"\($0)\": \(problem)" } ?? "playbook: \(problem)"
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .dataCorrupted(let c): return "not valid JSON at \(path(c)): \(c.debugDescription)"
        case .keyNotFound(let key, let c): return "missing \"\(key.stringValue)\" at \(path(c))"
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "wrong value at \(path(c)): \(c.debugDescription)"
        @unknown default: return String(describing: error)
        }
    }
}

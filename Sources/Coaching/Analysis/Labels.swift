/// What a message is mainly about.
public enum Intent: String, Sendable, Codable, CaseIterable, Hashable {
    case optOut = "opt_out"
    case wrongNumber = "wrong_number"
    case notInterested = "not_interested"
    case humanRequest = "human_request"
    case scheduleShowing = "schedule_showing"
    case rescheduleCancel = "reschedule_cancel"
    case callbackRequest = "callback_request"
    case priceQuestion = "price_question"
    case financing
    case availability
    case propertyQuestion = "property_question"
    case offer
    case sellInquiry = "sell_inquiry"
    case buyInquiry = "buy_inquiry"
    case objection
    case positiveAck = "positive_ack"
    case other
}

/// A reason the lead gives for not moving forward.
public enum Objection: String, Sendable, Codable, CaseIterable, Hashable {
    case priceTooHigh = "price_too_high"
    case commission
    case timing
    case hasAgent = "has_agent"
    case decisionMaker = "decision_maker"
    case justBrowsing = "just_browsing"
    case waitMarket = "wait_market"
    case trust
}

/// A label with compliance consequences, decided by high-precision rules, never by the model.
public enum ComplianceKind: String, Sendable, Codable, CaseIterable, Hashable {
    case optOut = "opt_out"
    case legalThreat = "legal_threat"
    case abuse
}

public enum Language: String, Sendable, Codable, Hashable {
    case english = "en"
    case spanish = "es"
}

/// The side of a deal a party or an agent is on.
public enum Side: String, Sendable, Codable, Hashable {
    case buyer, seller
    public var other: Side { self == .buyer ? .seller : .buyer }
}

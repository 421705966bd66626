import Coaching
import Foundation

/// The conversation's side of its negotiation session: it learns the opportunity and the price
/// offers are read against, notices when prices are discussed (which opens the session), and
/// shows the session's advice to its watchers. The session itself (`NegotiationActor`) reads
/// the conversation's events and owns offers and advice.
extension ConversationActor {
    func dealUpdated(_ deal: DealPayload) throws -> [Payload] {
        // While the conversation feeds one opportunity's session, another opportunity of the
        // contact is recorded and nothing more: the deal under negotiation keeps its price.
        let busy = state.negotiationId != nil && state.negotiationId == state.opportunityId && state.opportunityId != deal.opportunityId
        guard !busy else { return [(.dealUpdated, try PayloadEncoder.encode(deal))] }
        if let old = state.opportunityId, old != deal.opportunityId, state.negotiationId == nil {
            // Another deal: its own price.
            state.listingPrice = nil
            session.reply.listing?.price = nil
        }
        state.opportunityId = deal.opportunityId
        // The opportunity's value is the best price reference GHL gives; the first one sticks
        // (later changes are offers the session reads, not a new listing).
        if let value = deal.monetaryValue, value >= 1_000, state.listingPrice == nil {
            state.listingPrice = value
            var listing = session.reply.listing ?? Listing()
            listing.price = value
            listing.address = listing.address ?? deal.name
            session.reply.listing = listing
        }
        if state.negotiationId == nil, state.listingPrice != nil, let stage = deal.stageId,
            autoSettings.settings(for: state.locationId).negotiationStages.contains(stage), deal.status.map({ $0.lowercased() == "open" }) ?? true
        {
            state.negotiationId = deal.opportunityId
            return [(.dealUpdated, try PayloadEncoder.encode(deal)), try linked(by: "stage")]
        }
        return [(.dealUpdated, try PayloadEncoder.encode(deal))]
    }

    /// The session closed: the conversation feeds nothing until prices of a new deal are
    /// discussed (the closed one never reopens).
    func negotiationEnded(_ id: String) {
        guard state.negotiationId == id else { return }
        state.negotiationId = nil
        state.negotiationAdviceSeq = nil
        // The closed deal's price is not the next deal's.
        if state.opportunityId == id || state.opportunityId == nil {
            state.listingPrice = nil
            session.reply.listing?.price = nil
        }
    }

    func linkNegotiation(_ id: String, listingPrice: Double?, by: String) throws -> [Payload] {
        let changed = state.negotiationId != id
        state.negotiationId = id
        if let price = listingPrice {
            state.listingPrice = price
            var listing = session.reply.listing ?? Listing()
            listing.price = price
            session.reply.listing = listing
        }
        return changed ? [try linked(by: by)] : []
    }

    private func linked(by: String) throws -> Payload {
        (.negotiationOpened, try PayloadEncoder.encode(NegotiationLinkPayload(negotiationId: state.negotiationId ?? conversationId, listingPrice: state.listingPrice, openedBy: by)))
    }

    /// Prices plausible for a known listing were named: the conversation now feeds a session,
    /// keyed by its opportunity when it has one.
    func notePrices(_ a: MessageAnalysis) throws -> [Payload] {
        guard state.negotiationId == nil, let list = state.listingPrice else { return [] }
        let named = a.entities.money.contains { $0 != a.entities.preApproval && $0.amount >= list * 0.3 && $0.amount <= list * 2 }
        guard named || a.intent.intent == .offer else { return [] }
        state.negotiationId = state.opportunityId ?? conversationId
        return [try linked(by: "prices")]
    }

    /// The session's advice, unless it is older than advice already shown (advice travels in
    /// tasks, which may overtake each other) or comes from a session this conversation no
    /// longer feeds.
    func negotiationAdvice(_ update: NegotiationUpdatePayload, seq: UInt64) throws -> [Payload] {
        guard update.negotiationId == state.negotiationId, seq > state.negotiationAdviceSeq ?? 0 else { return [] }
        state.negotiationAdviceSeq = seq
        let advice = update.advice
        var body = advice.summary
        if !update.changes.isEmpty { body = update.changes.prefix(2).joined(separator: " ") + " " + body }
        let card = CoachingCard(kind: .negotiation, title: advice.headline, body: body, priority: .high, evidence: advice.evidence, templateId: nil)
        return [(.negotiationUpdated, try PayloadEncoder.encode(update)), (.coachingCard, try PayloadEncoder.encode(card))]
    }
}

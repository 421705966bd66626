import Coaching
import Foundation

/// Turning inputs into events. Runs synchronously on the actor while an input is applied.
extension NegotiationActor {
    typealias Payload = (EventKind, Data)

    func apply(_ input: NegotiationInput, unread: [ConversationEvent]) throws -> [Payload] {
        switch input {
        case .link(let id, _, let at):
            guard !session.status.isClosed else { throw NegotiationError.closed(negotiationId) }
            let isNew = !session.conversationIds.contains(id)
            if isNew { session.conversationIds.append(id) }
            var out: [Payload] = []
            if isNew || session.head == 0 { out.append((.negotiationOpened, try PayloadEncoder.encode(opened))) }
            return out + (try read(id, unread, at: at))
        case .conversation(let id, _, let at):
            guard session.conversationIds.contains(id), !session.status.isClosed else { return [] }
            return try read(id, unread, at: at)
        case .offer(let party, let amount, let source, let conversation, let by, let at):
            guard !session.status.isClosed else { throw NegotiationError.closed(negotiationId) }
            let turn = SessionTurn(party: party, text: nil, offer: amount, at: at, source: source, conversationId: conversation, by: by)
            var out = try take([turn])
            out += try advise(newOffers: out.count)
            return out
        case .close(let status, let price, let by, let at):
            guard !session.status.isClosed else { throw NegotiationError.closed(negotiationId) }
            guard status.isClosed else { throw NegotiationError.invalid("a session closes as won, lost or abandoned") }
            session.status = status
            session.finalPrice = price
            session.closedAt = at
            let closed = NegotiationClosedPayload(negotiationId: negotiationId, status: status, finalPrice: price, listingPrice: session.listingPrice, offers: session.offers.count, by: by)
            return [(.negotiationClosed, try PayloadEncoder.encode(closed))]
        case .reframe(let listing, let side, _, _):
            guard !session.status.isClosed else { throw NegotiationError.closed(negotiationId) }
            if let listing { session.listingPrice = listing }
            if let side { session.side = side }
            state = Self.replay(session)
            return [(.negotiationOpened, try PayloadEncoder.encode(opened))] + (try advise(newOffers: 0))
        }
    }

    private var opened: NegotiationOpenedPayload {
        NegotiationOpenedPayload(
            negotiationId: negotiationId, locationId: locationId, opportunityId: session.opportunityId, conversationIds: session.conversationIds,
            listingPrice: session.listingPrice, side: session.side, openedBy: session.openedBy)
    }

    /// Reads a linked conversation's events in order from its cursor; stops at a gap (the rest
    /// is read from storage next time). Messages and call transcripts become turns; a won, lost
    /// or abandoned opportunity closes the session.
    private func read(_ conversationId: String, _ events: [ConversationEvent], at: Double) throws -> [Payload] {
        var turns: [SessionTurn] = []
        var out: [Payload] = []
        var cursor = session.cursors[conversationId] ?? 0
        var closing: (NegotiationStatus, Double?)?
        for e in events where e.seq > cursor {
            guard e.seq == cursor + 1 else { break }
            cursor = e.seq
            turns += NegotiationFeed.turns(from: e, side: session.side, conversationId: conversationId)
            if let deal = NegotiationFeed.deal(e, opportunity: session.opportunityId) {
                // The opportunity's value when the session opened is the listing price, not an
                // offer; a later change of it is the figure now on the table.
                let lastValue = session.offers.last(where: { $0.source == .ghlValue })?.amount ?? session.listingPrice
                if let status = deal.closing { closing = (status, deal.value) } else if let value = deal.value, value != lastValue {
                    turns.append(SessionTurn(party: session.side.other, text: nil, offer: value, at: e.at, source: .ghlValue, conversationId: conversationId, by: nil))
                }
            }
        }
        session.cursors[conversationId] = cursor
        let offers = try take(turns)
        out += offers
        if !turns.isEmpty { out += try advise(newOffers: offers.count) }
        if let (status, price) = closing {
            session.status = status
            session.finalPrice = price
            session.closedAt = at
            let closed = NegotiationClosedPayload(negotiationId: negotiationId, status: status, finalPrice: price, listingPrice: session.listingPrice, offers: session.offers.count, by: "ghl")
            out.append((.negotiationClosed, try PayloadEncoder.encode(closed)))
        }
        return out
    }

    /// Applies turns to the coach; returns a `negotiation.offer` for each price it heard.
    private func take(_ turns: [SessionTurn]) throws -> [Payload] {
        var out: [Payload] = []
        for turn in turns {
            let before = (state.buyerOffers.count, state.sellerOffers.count)
            state.apply(turn.negotiationTurn)
            session.turns.append(turn)
            let heard: PricePoint? =
                state.buyerOffers.count > before.0 ? state.buyerOffers.last : state.sellerOffers.count > before.1 ? state.sellerOffers.last : nil
            guard let price = heard else { continue }
            let party: Side = state.buyerOffers.count > before.0 ? .buyer : .seller
            let offer = SessionOffer(party: party, amount: price.amount, source: turn.source, conversationId: turn.conversationId, by: turn.by, at: turn.at)
            session.offers.append(offer)
            out.append((.negotiationOffer, try PayloadEncoder.encode(NegotiationOfferPayload(negotiationId: negotiationId, offer: offer, count: session.offers.count))))
        }
        if session.turns.count > NegotiationSession.turnLimit { session.turns.removeFirst(session.turns.count - NegotiationSession.turnLimit) }
        return out
    }

    /// Fresh advice when it differs from the last, with what changed.
    private func advise(newOffers: Int) throws -> [Payload] {
        let advice = advisor.advise(state)
        guard advice != session.lastAdvice else { return [] }
        let changes = AdviceChanges.describe(from: session.lastAdvice, to: advice, offers: Array(session.offers.suffix(newOffers)))
        session.lastAdvice = advice
        let update = NegotiationUpdatePayload(
            negotiationId: negotiationId, status: session.status, listingPrice: session.listingPrice, side: session.side, advice: advice, changes: changes)
        return [(.negotiationUpdated, try PayloadEncoder.encode(update))]
    }
}

/// Why a negotiation input was refused.
public enum NegotiationError: Error, Equatable, CustomStringConvertible {
    case closed(String)
    case invalid(String)
    case notFound(String)

    public var description: String {
        switch self {
        case .closed(let id): return "negotiation \(id) is closed"
        case .invalid(let why): return why
        case .notFound(let id): return "no negotiation \(id)"
        }
    }
}

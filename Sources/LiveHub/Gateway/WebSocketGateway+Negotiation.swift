import Actors
import Coaching
import Foundation

/// The negotiation ops (`negotiation.open`, `negotiation.close`, `offer.log`) and the topic
/// `negotiation:{id}`.
extension WebSocketGateway {
    /// Opens the conversation's session (or links the conversation to `joining`'s), with the
    /// listing price given or known, on the side given (the seller's by default). `state` is the
    /// conversation as the caller may read it (`readable`). Returns the session it feeds now.
    @discardableResult
    func openNegotiation(_ state: ConversationState, joining: String?, listingPrice: Double?, side: Side?, _ c: Connection) async throws -> NegotiationSession {
        let cid = state.conversationId
        let now = clock.now()
        if let joining, let current = state.negotiationId, current != joining {
            throw GatewayError(code: "already_negotiating", message: "conversation \(cid) feeds negotiation \(current)")
        }
        let id = joining ?? state.negotiationId ?? state.opportunityId ?? cid
        let actor: NegotiationActor
        if let joining {
            guard let found = try await negotiations.existing(joining), found.locationId == state.locationId else {
                throw GatewayError.notFound("no negotiation \(joining) in this location")
            }
            // Joining feeds the deal and opens it to the caller: only for someone who may read it.
            guard try await mayRead(await found.current, c.token) else { throw GatewayError.forbidden("not allowed on negotiation \(joining)") }
            actor = found
        } else {
            guard let price = listingPrice ?? state.listingPrice else {
                throw GatewayError(code: "no_listing_price", message: "the conversation has no listing price yet: send listingPrice")
            }
            actor = try await negotiations.open(
                id, location: state.locationId, opportunityId: state.opportunityId, listingPrice: price, side: side ?? .seller, openedBy: "agent:" + c.token.userId, at: now)
        }
        let session = await actor.current
        guard !session.status.isClosed else { throw GatewayError(code: "negotiation_closed", message: "negotiation \(id) is \(session.status.rawValue)") }
        try await directory.submit(
            .negotiationLinked(negotiationId: id, listingPrice: session.listingPrice, by: "agent:" + c.token.userId, at: now), to: cid, location: state.locationId,
            contact: state.contactId)
        try await negotiations.submit(.link(conversationId: cid, by: c.token.userId, at: now), to: id, via: actor)
        // An existing session told another price or side by the agent takes it.
        let differs = (listingPrice.map { $0 != session.listingPrice } ?? false) || (side.map { $0 != session.side } ?? false)
        if differs, joining == nil { try await negotiations.submit(.reframe(listingPrice: listingPrice, side: side, by: c.token.userId, at: now), to: id, via: actor) }
        return await actor.current
    }

    func closeNegotiation(_ cid: String?, _ nid: String?, status: NegotiationStatus, finalPrice: Double?, _ c: Connection) async throws {
        let session = try await readableSession(cid, nid, openIfNone: false, c)
        try await submitNegotiation(.close(status, finalPrice: finalPrice, by: c.token.userId, at: clock.now()), to: session)
    }

    /// An offer heard off the text channel, logged by the agent, into the conversation's
    /// session — opened now if the conversation has none yet and its listing price is known
    /// (prices are being discussed).
    func logOffer(_ cid: String, party: Side, amount: Double, _ c: Connection) async throws {
        let session = try await readableSession(cid, nil, openIfNone: true, c)
        try await submitNegotiation(.offer(party: party, amount: amount, source: .logged, conversationId: cid, by: c.token.userId, at: clock.now()), to: session)
    }

    private func submitNegotiation(_ input: NegotiationInput, to session: NegotiationSession) async throws {
        do {
            try await negotiations.submit(input, to: session.id)
        } catch let e as NegotiationError {
            switch e {
            case .closed: throw GatewayError(code: "negotiation_closed", message: e.description)
            case .invalid: throw GatewayError(code: "invalid_field", message: e.description)
            case .notFound: throw GatewayError.notFound(e.description)
            }
        }
    }

    /// The session named, or the conversation's, if the caller may act on it. A conversation
    /// that names a session whose first commit never happened (the node stopped in between) has
    /// it opened now, as its next message would; one with no session has one opened only when
    /// `openIfNone`. On a cluster node, a session another node owns throws `OwnedElsewhere`
    /// (the op is forwarded).
    private func readableSession(_ cid: String?, _ nid: String?, openIfNone: Bool, _ c: Connection) async throws -> NegotiationSession {
        var found: NegotiationSession?
        if let cid {
            let state = try await readable(cid, c)
            if let nid, let linked = state.negotiationId, nid != linked {
                throw GatewayError(code: "invalid_field", message: "conversation \(cid) feeds negotiation \(linked), not \(nid)")
            }
            if let linked = state.negotiationId {
                found = try await session(linked)
            } else if !openIfNone {
                throw GatewayError(code: "no_negotiation", message: "conversation \(cid) has no negotiation: open one with negotiation.open")
            }
            if found == nil { found = try await openNegotiation(state, joining: nil, listingPrice: nil, side: nil, c) }
        } else if let nid {
            found = try await session(nid)
        }
        guard let session = found else { throw GatewayError.notFound("no negotiation \(nid ?? "")") }
        guard try await mayRead(session, c.token) else { throw GatewayError.forbidden("not allowed on negotiation \(session.id)") }
        if let cluster, !cluster.ownership.owns(location: session.locationId) { throw OwnedElsewhere(location: session.locationId, outboxId: nil) }
        return session
    }

    /// The session as its live actor has it, else as stored.
    func session(_ id: String) async throws -> NegotiationSession? {
        if let live = negotiations.liveActor(id) { return await live.current }
        return try await negotiationStore.load(negotiationId: id)
    }

    /// Supervisors and admins of the location; agents who may read one of its conversations.
    func mayRead(_ session: NegotiationSession, _ token: AccessToken) async throws -> Bool {
        guard token.canSee(location: session.locationId) else { return false }
        if token.isSupervisor { return true }
        for id in session.conversationIds {
            if let state = try await state(id), TopicAccess.mayRead(token, conversation: state) { return true }
        }
        return false
    }

    /// `reply.draft`: the draft streams to this connection from a task of its own, so the
    /// connection's other frames are not held up by the model; closing the connection cancels
    /// it (and with it the model's request).
    func draft(_ id: String, instruction: String?, _ c: Connection) async throws {
        let state = try await readable(id, c)
        let settings = autoSettings.settings(for: state.locationId).drafts
        let advice: NegotiationAdvice? = if let nid = state.negotiationId { try await session(nid)?.lastAdvice } else { nil }
        let now = clock.now()
        let drafts = self.drafts
        c.stream { await drafts.draft(state, settings: settings, advice: advice, instruction: instruction, now: now, send: { c.send($0) }) }
    }

    /// `negotiation:{id}`: replay from `since` as for a conversation, then live.
    func subscribeNegotiation(_ raw: String, id: String, since: UInt64?, _ c: Connection) async throws {
        guard let session = try await openingSession(id) else { throw GatewayError.notFound("no negotiation \(id)") }
        guard try await mayRead(session, c.token) else { throw GatewayError.forbidden("not allowed to read \(raw)") }
        c.beginReplay(raw)
        guard let (frames, last) = try await replay(stream: session.streamId, topic: raw, since: since, head: session.head, c) else { return }
        c.finishReplay(raw, subscribed: Self.subscribed(raw, head: last, replayed: frames.count), replayed: frames, lastSeq: last)
        // What storage held, never the client's `since` (which may be ahead of it).
        fanout?.replayed(session.streamId, through: frames.last?.seq ?? session.head)
    }

    /// The session, waiting up to a second for one being opened: a conversation's
    /// `negotiation.opened` reaches its watchers just before the session's own first commit, and
    /// a client that subscribes as soon as it reads it must not be told there is none. (Real
    /// time, not the server clock: this waits for work in flight, not for a deadline.)
    func openingSession(_ id: String) async throws -> NegotiationSession? {
        for _ in 0..<10 {
            if let found = try await session(id) { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await session(id)
    }
}

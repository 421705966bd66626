import Actors
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle

/// `GET /v1/ws`: authenticated before the upgrade, then JSON text frames (docs/protocol.md).
struct WebSocketGateway: Sendable {
    let tokens: TokenAuthority
    let hub: EventHub
    let conversations: any ConversationRepository
    let directory: ConversationDirectory
    let negotiations: NegotiationDirectory
    let negotiationStore: any NegotiationStore
    let drafts: DraftService
    let config: ServerConfiguration
    let metrics: GatewayCounters
    let registry: ConnectionRegistry
    let outbox: any OutboxStore
    let sender: OutboxSender
    let autoSettings: SettingsRegistry
    let bus: any EventBus
    let clock: ServerClock
    let logger: Logger
    /// A cluster node's gap-free delivery, told where each conversation replay ended.
    var fanout: ClusterFanout? = nil
    /// Set on a cluster node: ops on conversations another node owns are carried out there.
    var cluster: ClusterMembership? = nil

    /// The endpoint the server's connections upgrade to: the token (header, or `access_token` in
    /// the query for browsers, which cannot set headers) is checked before the upgrade.
    var endpoint: WebSocketEndpoint {
        WebSocketEndpoint(path: "/v1/ws", decide: { target, authorization in
            guard let token = await tokens.authenticate(authorization: authorization, query: URI(target).queryParameters["access_token"].map(String.init)) else {
                return .refuse(.unauthorized, code: "unauthorized", message: "a valid access token is required")
            }
            return .accept { socket in ClientSession(token: token, gateway: self, socket: socket) }
        }, maxFrameSize: 1 << 20, autoPing: config.webSocketPingInterval)
    }

    /// `GET /v1/ws` without an upgrade: 401 without a valid token, else 426.
    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/ws") { request, _ -> Response in
            guard await tokens.authenticate(request, allowQuery: true) != nil else { throw APIError.unauthorized }
            throw APIError(.upgradeRequired, "upgrade_required", "GET /v1/ws is a WebSocket endpoint: send Upgrade: websocket")
        }
        if let cluster {
            router.post(RouterPath(OpForwarding.path)) { request, _ -> Response in
                try await forwardedOp(request, cluster: cluster)
            }
        }
    }

    /// An op another node's client sent, carried out here, its owner, as for a client of this
    /// node (same claims, same checks); 409 when this node no longer owns the conversation.
    private func forwardedOp(_ request: Request, cluster: ClusterMembership) async throws -> Response {
        let body = Array(buffer: try await request.body.collect(upTo: config.maxFrameBytes + 4_096))
        let sender = WebhookRoutes.header(WebhookForwarder.nodeHeader, request) ?? ""
        let mac = WebhookRoutes.header(WebhookForwarder.macHeader, request)
        guard cluster.forwarder.isAuthentic(body, scheme: OpForwarding.scheme, from: sender, mac: mac),
            let forwarded = try? JSONDecoder().decode(OpForwarding.Request.self, from: Data(body))
        else { throw APIError(.unauthorized, "forward_unauthenticated", "not forwarded by a node of this cluster") }
        var answer = OpForwarding.Answer()
        do {
            let op = try ClientOp.decode(forwarded.op)
            let c = Connection(token: forwarded.claims, hub: hub, queueLimit: 16)
            defer { c.closeAll() }
            try await perform(op, c, outboxId: forwarded.outboxId, forwarded: true)
            answer.ok = true
        } catch is OwnedElsewhere {
            throw APIError(.conflict, "not_owner", "this node does not own the conversation")
        } catch let e as ClientOp.Invalid {
            (answer.error, answer.message) = (e.code, e.message)
        } catch let e as GatewayError {
            (answer.error, answer.message) = (e.code, e.message)
        } catch {
            (answer.error, answer.message) = ("internal", "the operation failed")
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(answer))))
    }

    func hello(_ token: AccessToken) -> ServerFrame {
        ServerFrame.object([
            "type": .string("hello"), "user": .string(token.userId), "role": .string(token.role.rawValue),
            "protocol": .int(1), "server": .string("livehub"),
        ])
    }

    /// Agent presence goes, through the bus, to the location topics of the agent's locations.
    func presence(_ token: AccessToken, online: Bool) async {
        guard token.role == .agent else { return }
        // A second tab changes nothing; closing one of two leaves the agent online.
        guard hub.presence.agent(token.userId, locations: token.locations, delta: online ? 1 : -1) else { return }
        await bus.publish(.presence(AgentPresence(user: token.userId, locations: token.locations, online: online, at: clock.now())))
    }

    /// Handles one client message; false when the connection must close (error budget spent).
    func handle(_ message: ClientMessage, _ c: Connection) async -> Bool {
        let text: String
        switch message {
        case .binary:
            return fail(c, "binary_not_supported", "frames must be JSON text", op: nil)
        case .text(let t):
            text = t
        }
        guard text.utf8.count <= config.maxFrameBytes else {
            return fail(c, "frame_too_large", "frames are limited to \(config.maxFrameBytes) bytes", op: nil)
        }
        let op: ClientOp
        do {
            op = try ClientOp.decode(text)
        } catch {
            return fail(c, error.code, error.message, op: error.op)
        }
        do {
            try await perform(op, c)
            return true
        } catch let elsewhere as OwnedElsewhere {
            guard let cluster else { return fail(c, "internal", "the operation failed", op: op.name) }
            let outcome = await OpForwarding(cluster: cluster, timeout: config.forwardTimeout, logger: logger).run(
                text, claims: c.token, outboxId: elsewhere.outboxId, location: elsewhere.location) { try await perform(op, c, outboxId: elsewhere.outboxId) }
            switch outcome {
            case .done: return true
            case .failed(let code, let message): return fail(c, code, message, op: op.name)
            }
        } catch let e as GatewayError {
            return fail(c, e.code, e.message, op: op.name, topic: op.topic)
        } catch {
            return fail(c, "internal", "the operation failed", op: op.name)
        }
    }

    func fail(_ c: Connection, _ code: String, _ message: String, op: String?, topic: String? = nil) -> Bool {
        c.send(.error(code, message, op: op, topic: topic))
        return !c.recordError(now: clock.now())
    }

    /// Carries out `op`. On a cluster node, an op on a conversation another node owns throws
    /// `OwnedElsewhere` before it changes anything (the caller forwards it). `outboxId` names the
    /// reply a `reply.send` queues (given when it was forwarded: a retried forward then queues it
    /// once, never twice).
    func perform(_ op: ClientOp, _ c: Connection, outboxId: String? = nil, forwarded: Bool = false) async throws {
        let now = clock.now()
        if let cluster, let id = op.conversationId, op.changesConversation {
            let state = try await readable(id, c)
            if !cluster.ownership.owns(location: state.locationId) {
                if forwarded { throw OwnedElsewhere(location: state.locationId, outboxId: outboxId) }
                throw OwnedElsewhere(location: state.locationId, outboxId: outboxId ?? UUID().uuidString.lowercased())
            }
        }
        switch op {
        case .ping:
            c.send(.object(["type": .string("pong")]))
        case .subscribe(let raw, let since):
            try await subscribe(raw, since: since, c)
        case .unsubscribe(let topic):
            c.unsubscribe(topic)
        case .takeover(let id):
            guard c.token.isSupervisor else { throw GatewayError.forbidden("only supervisors and admins take over") }
            try await submit(.takeover(by: c.token.userId, at: now), to: id, c)
        case .release(let id):
            guard c.token.isSupervisor else { throw GatewayError.forbidden("only supervisors and admins release") }
            try await submit(.release(by: c.token.userId, at: now), to: id, c)
        case .setMode(let id, let mode):
            try await submit(.setMode(mode, by: c.token.userId, at: now), to: id, c)
        case .whisper(let id, let text):
            guard c.token.isSupervisor else { throw GatewayError.forbidden("only supervisors and admins whisper") }
            try await submit(.whisper(from: c.token.userId, to: nil, text: text, at: now), to: id, c)
        case .offerLog(let id, let party, let amount):
            try await logOffer(id, party: party, amount: amount, c)
        case .negotiationOpen(let id, let joining, let price, let side):
            try await openNegotiation(try await readable(id, c), joining: joining, listingPrice: price, side: side, c)
        case .negotiationClose(let id, let nid, let status, let price):
            try await closeNegotiation(id, nid, status: status, finalPrice: price, c)
        case .replyDraft(let id, let instruction):
            try await draft(id, instruction: instruction, c)
        case .cardDismiss(let id, let seq):
            try await dismissCard(id, seq: seq, c, at: now)
        case .alertAck(let id, let seq):
            try await acknowledgeAlert(id, seq: seq, c, at: now)
        case .replySend(let id, let text, let suggestionId, let channel):
            let state = try await readable(id, c)
            guard let contact = state.contactId else { throw GatewayError(code: "no_contact", message: "the conversation has no contact to send to") }
            let ch = OutboundRequest.replyChannel(requested: channel, lastInbound: state.lastInboundChannel)
            // Never in breach of an opt-out: not on that channel, not at all after DND on every
            // channel. (The sender checks again at the moment of sending.)
            guard state.mayMessage(on: ch) else { throw GatewayError(code: "opted_out", message: "the lead opted out of \(ch)") }
            let request = OutboundRequest(
                outboxId: outboxId ?? UUID().uuidString.lowercased(), conversationId: id, locationId: state.locationId, contactId: contact,
                channel: ch, text: text, origin: "agent:" + c.token.userId, suggestionId: suggestionId)
            try await directory.submit(.replyQueued(request, by: c.token.userId, at: now), to: id, location: state.locationId, contact: contact)
            sender.notify()
        case .replyCancel(let id, let outboxId):
            let state = try await readable(id, c)
            guard let entry = try await outbox.entry(outboxId), entry.request.conversationId == id else {
                throw GatewayError.notFound("no queued reply \(outboxId) in \(id)")
            }
            guard try await outbox.claimCancel(outboxId, conversationId: id) else {
                throw GatewayError(code: "not_cancellable", message: "the reply is already \(entry.state.rawValue)")
            }
            let cancelled = ConversationInput.delivery(
                outboxId: outboxId, text: entry.request.text, channel: entry.request.channel, state: .cancelled, messageId: nil, error: nil, at: now)
            try await directory.submit(cancelled, to: id, location: state.locationId, contact: state.contactId)
        }
    }

    /// The conversation's state, if it exists and the caller may act on it.
    func readable(_ id: String, _ c: Connection) async throws -> ConversationState {
        guard let state = try await state(id) else { throw GatewayError.notFound("no conversation \(id)") }
        guard TopicAccess.mayRead(c.token, conversation: state) else { throw GatewayError.forbidden("not allowed on conversation \(id)") }
        return state
    }

    /// Applies `input` to a conversation the caller may act on.
    func submit(_ input: ConversationInput, to id: String, _ c: Connection) async throws {
        let state = try await readable(id, c)
        try await directory.submit(input, to: id, location: state.locationId, contact: state.contactId)
    }

    func state(_ id: String) async throws -> ConversationState? {
        if let live = directory.liveActor(id) { return await live.currentState }
        return try await conversations.state(conversationId: id)
    }

    func subscribe(_ raw: String, since: UInt64?, _ c: Connection) async throws {
        guard let topic = Topic(raw) else { throw GatewayError.invalidTopic("topics are conversation:{id}, negotiation:{id}, location:{id} or agent:{userId}") }
        if c.isSubscribed(raw) { c.unsubscribe(raw) }
        switch topic {
        case .conversation(let id):
            guard let state = try await state(id) else { throw GatewayError.notFound("no conversation \(id)") }
            guard TopicAccess.mayRead(c.token, conversation: state) else { throw GatewayError.forbidden("not allowed to read \(raw)") }
            hub.presence.locate(autoSettings.summary(of: state))
            c.beginReplay(raw)
            guard let (frames, last) = try await replay(stream: id, topic: raw, since: since, head: state.head, c) else { return }
            c.finishReplay(raw, subscribed: Self.subscribed(raw, head: last, replayed: frames.count), replayed: frames, lastSeq: last)
            // What storage held, never the client's `since` (which may be ahead of it).
            fanout?.replayed(id, through: frames.last?.seq ?? state.head)
        case .location(let id):
            guard TopicAccess.mayWatch(c.token, location: id) else { throw GatewayError.forbidden("not allowed to read \(raw)") }
            c.beginReplay(raw)
            // An agent's share is read from more of the location, so that the newest 500 of
            // everyone's do not hide the agent's own older ones.
            let limit = min(500, c.maxReplay)
            let states = try await conversations.states(locationId: id, limit: c.token.isSupervisor ? limit : 4 * limit)
                .filter { TopicAccess.mayRead(c.token, conversation: $0) }.prefix(limit)
            let now = clock.now()
            let summaries = try states.map { try ServerFrame.summary(topic: raw, autoSettings.summary(of: $0), at: now) }
            let replayed = summaries + hub.presenceSnapshot(location: id, for: c, at: now)
            c.finishReplay(raw, subscribed: Self.subscribed(raw, head: 0, replayed: summaries.count), replayed: replayed, lastSeq: nil)
        case .negotiation(let id):
            try await subscribeNegotiation(raw, id: id, since: since, c)
        case .agent(let user):
            guard TopicAccess.mayRead(c.token, agent: user) else { throw GatewayError.forbidden("agents subscribe to their own agent topic only") }
            c.beginReplay(raw)
            c.finishReplay(raw, subscribed: Self.subscribed(raw, head: 0, replayed: 0), replayed: [], lastSeq: nil)
        }
    }

    /// A stream's stored events after `since` as frames of `topic`, and the last `seq` they
    /// reach (`head` without `since`: the subscription starts live). Nil when the replay is
    /// longer than the connection may queue: the topic is then resynced instead.
    func replay(stream: String, topic: String, since: UInt64?, head: UInt64, _ c: Connection) async throws -> (frames: [ServerFrame], last: UInt64)? {
        guard let since else { return ([], head) }
        var frames: [ServerFrame] = []
        var after = since
        while frames.count <= c.maxReplay {
            let page = try await conversations.events(conversationId: stream, after: after, limit: min(1_000, c.maxReplay + 1))
            guard let end = page.last else { break }
            frames += page.map { ServerFrame.event(topic: topic, $0) }
            after = end.seq
        }
        guard frames.count <= c.maxReplay else {
            c.unsubscribe(topic)
            c.send(ServerFrame.resync(topic, reason: "history_too_long"))
            return nil
        }
        return (frames, frames.last?.seq ?? since)
    }

    static func subscribed(_ topic: String, head: UInt64, replayed: Int) -> ServerFrame {
        .object(["type": .string("subscribed"), "topic": .string(topic), "head": .int(Int(head)), "replayed": .int(replayed)])
    }
}

struct GatewayError: Error {
    let code: String
    let message: String
    static func forbidden(_ m: String) -> GatewayError { .init(code: "forbidden", message: m) }
    static func notFound(_ m: String) -> GatewayError { .init(code: "not_found", message: m) }
    static func invalidTopic(_ m: String) -> GatewayError { .init(code: "invalid_topic", message: m) }
}

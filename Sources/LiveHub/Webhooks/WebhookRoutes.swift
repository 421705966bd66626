import Actors
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `POST /webhooks/ghl`.
///
/// Order of checks, each with its own answer and nothing stored on failure: storage behind (503
/// with `Retry-After`, before any work), size (413), signature (401), JSON (400), type (unknown →
/// 200 ignored), required fields (422), replay window (400), uninstalled location (200 ignored),
/// duplicate (200 duplicate). Then the webhook and everything it causes are committed, and only
/// then does GHL get its 200. Every outcome is counted (`livehub_webhooks_total{outcome}`).
///
/// On a cluster node, a webhook of a location another node owns is forwarded to that owner
/// after the checks up to the replay window (`POST /internal/v1/webhooks/ghl`, authenticated
/// node to node), and the owner's answer is GHL's: still 200 only once committed.
struct WebhookRoutes: Sendable {
    let verifier: SignatureVerifier
    let processor: WebhookProcessor
    let locations: LocationRegistry
    let config: ServerConfiguration
    let metrics: ServerMetrics
    let health: any StorageHealth
    let clock: ServerClock
    let logger: Logger
    /// Set on a cluster node: webhooks of locations it does not own go to their owner.
    var cluster: ClusterMembership? = nil

    func register(on router: Router<AppRequestContext>) {
        router.post("/webhooks/ghl") { request, context -> Response in
            try respond(to: request, context, with: await handle(request))
        }
        if cluster != nil {
            router.post(RouterPath(WebhookForwarder.path)) { request, context -> Response in
                try respond(to: request, context, with: await handleForwarded(request))
            }
        }
    }

    private func respond(to request: Request, _ context: AppRequestContext, with outcome: Outcome) throws -> Response {
        metrics.webhook(outcome: outcome.label)
        switch outcome {
        case .answered(let answer, _, let start):
            // Events are queued on every subscribed socket before the actor's commit returns.
            if case .stored = answer { metrics.fanout(ContinuousClock.now - start) }
            return try answer.response(from: request, context: context)
        case .refused(let error, _):
            throw error
        case .relayed(let status, let body, let retryAfter):
            var headers: HTTPFields = [.contentType: "application/json"]
            if let retryAfter { headers[.retryAfter] = retryAfter }
            return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: body))
        }
    }

    /// What became of one delivery: a 200 answer, an error, or the owner's answer relayed,
    /// each with its metrics label.
    enum Outcome: RelayedReply {
        case answered(WebhookAnswer, label: String, since: ContinuousClock.Instant = .now)
        case refused(APIError, label: String)
        /// Another node of the cluster owns the location and answered this.
        case relayed(status: Int, body: ByteBuffer, retryAfter: String?)

        var label: String {
            switch self {
            case .answered(_, let label, _), .refused(_, let label): return label
            case .relayed: return "forwarded"
            }
        }
    }

    func handle(_ request: Request) async -> Outcome {
        let start = ContinuousClock.now
        if health.commitBacklog >= config.maxCommitBacklog {
            return .refused(.unavailable("overloaded", "storage is behind; retry later", retryAfter: 1), label: "overloaded")
        }
        let body: [UInt8]
        switch await readBody(request) {
        case .success(let bytes): body = bytes
        case .failure(let refusal): return refusal.outcome
        }

        let scheme: SignatureVerifier.Scheme
        if config.insecureSkipSignatureCheck {
            logger.warning("webhook accepted WITHOUT signature check (--dev-skip-signature-check)")
            scheme = .unsigned
        } else if let verified = verifier.verify(body: body, ed25519Header: Self.header("x-ghl-signature", request), rsaHeader: Self.header("x-wh-signature", request)) {
            scheme = verified
        } else {
            return .refused(APIError(.unauthorized, "invalid_signature", verifier.refusalHint), label: "invalid_signature")
        }
        return await accept(body, scheme: scheme, forwarded: false, since: start)
    }

    /// A webhook another node verified and forwarded here, the owner of its location.
    func handleForwarded(_ request: Request) async -> Outcome {
        let start = ContinuousClock.now
        guard let cluster else { return .refused(.notFound, label: "not_found") }
        let body: [UInt8]
        switch await readBody(request) {
        case .success(let bytes): body = bytes
        case .failure(let refusal): return refusal.outcome
        }
        let sender = Self.header(WebhookForwarder.nodeHeader, request) ?? ""
        guard let scheme = Self.header(WebhookForwarder.schemeHeader, request).flatMap(SignatureVerifier.Scheme.init(rawValue:)),
            cluster.forwarder.isAuthentic(body, scheme: scheme.rawValue, from: sender, mac: Self.header(WebhookForwarder.macHeader, request))
        else {
            return .refused(APIError(.unauthorized, "forward_unauthenticated", "not forwarded by a node of this cluster"), label: "forward_unauthenticated")
        }
        if health.commitBacklog >= config.maxCommitBacklog {
            return .refused(.unavailable("overloaded", "storage is behind; retry later", retryAfter: 1), label: "overloaded")
        }
        return await accept(body, scheme: scheme, forwarded: true, since: start)
    }

    /// A refusal while reading the body.
    struct BodyRefusal: Error {
        let outcome: Outcome
    }

    private func readBody(_ request: Request) async -> Result<[UInt8], BodyRefusal> {
        let limit = config.maxWebhookBytes
        let tooLarge = BodyRefusal(outcome: .refused(APIError(.contentTooLarge, "body_too_large", "the body exceeds \(limit) bytes"), label: "too_large"))
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { return .failure(tooLarge) }
        var body: [UInt8] = []
        do {
            for try await chunk in request.body {
                body.append(contentsOf: chunk.readableBytesView)
                if body.count > limit { return .failure(tooLarge) }
            }
        } catch {
            return .failure(BodyRefusal(outcome: .refused(APIError.badRequest("body_unreadable", "the body could not be read"), label: "body_unreadable")))
        }
        return .success(body)
    }

    /// A verified body: parsed, checked, then committed here or by the location's owner.
    private func accept(_ body: [UInt8], scheme: SignatureVerifier.Scheme, forwarded: Bool, since start: ContinuousClock.Instant) async -> Outcome {
        let now = clock.now()
        let webhook: GHLWebhook
        do throws(WebhookParseError) {
            webhook = try GHLWebhook.parse(body, receivedAt: Date(timeIntervalSince1970: now))
        } catch {
            switch error {
            case .notJSON(let reason):
                return .refused(APIError.badRequest("invalid_json", reason), label: "invalid_json")
            case .unknownType(let type):
                logger.debug("ignored webhook of unknown type", metadata: ["type": .string(type)])
                return .answered(.ignored(type: type), label: "ignored")
            case .missingField(let field):
                return .refused(APIError(.unprocessableContent, "missing_field", field), label: "missing_field")
            }
        }
        if let timestamp = webhook.timestamp, now - timestamp.timeIntervalSince1970 > config.replayWindow.inSeconds {
            return .refused(APIError.badRequest("stale_webhook", "timestamp \(timestamp.ISO8601Format()) is outside the replay window"), label: "stale")
        }
        guard let cluster else { return await commit(webhook, body: body, scheme: scheme, now: now, since: start) }
        return await route(webhook, body: body, scheme: scheme, now: now, forwarded: forwarded, cluster: cluster, since: start)
    }

    /// In a cluster: commits here while this node owns the location, else hands the webhook to
    /// the owner and relays its answer (`ClusterMembership.serve`); 503 only when no owner
    /// answered within `forwardTimeout`, so GHL retries. A webhook forwarded here is never
    /// forwarded again: this node commits it, or answers 409 for its sender to ask again.
    private func route(
        _ webhook: GHLWebhook, body: [UInt8], scheme: SignatureVerifier.Scheme, now: Double, forwarded: Bool, cluster: ClusterMembership,
        since start: ContinuousClock.Instant
    ) async -> Outcome {
        let location = webhook.locationId
        let notOwner = Outcome.refused(APIError(.conflict, "not_owner", "this node does not own location \(location)"), label: "not_owner")
        if forwarded {
            guard cluster.ownership.owns(location: location) else { return notOwner }
            let outcome = await commit(webhook, body: body, scheme: scheme, now: now, since: start)
            if case .refused(_, "not_owner") = outcome { return notOwner }
            return outcome
        }
        let served: Outcome? = await cluster.serve(
            location: location, timeout: config.forwardTimeout, logger: logger,
            local: { () async -> Outcome? in
                let outcome = await commit(webhook, body: body, scheme: scheme, now: now, since: start)
                // Fenced or dropped mid-way: nothing was committed, so it may go to the new owner.
                if case .refused(_, "not_owner") = outcome { return nil }
                return outcome
            },
            remote: { address, attempt in await cluster.forwarder.forward(body, scheme: scheme.rawValue, to: address, timeout: attempt) })
        return served ?? .refused(.unavailable("no_owner", "no node could take location \(location)'s webhook in time", retryAfter: 1), label: "no_owner")
    }

    /// Commits the webhook on this node and answers once it is durable.
    private func commit(_ webhook: GHLWebhook, body: [UInt8], scheme: SignatureVerifier.Scheme, now: Double, since start: ContinuousClock.Instant) async -> Outcome {
        if case .install = webhook.event {} else if locations.isUninstalled(webhook.locationId) {
            return .answered(.locationUninstalled, label: "uninstalled")
        }
        let receipt = WebhookReceipt(
            webhookId: webhook.webhookId, type: webhook.type, locationId: webhook.locationId, receivedAt: now, body: body,
            signatureScheme: scheme.rawValue, messageId: webhook.messageId)
        do {
            switch try await processor.process(webhook, receipt: receipt) {
            case .duplicate: return .answered(.duplicate, label: "duplicate", since: start)
            case .processed(let events): return .answered(.stored(events: events), label: "ok", since: start)
            }
        } catch {
            if error is ClusterError || Self.isNotOwned(error) {
                return .refused(.unavailable("not_owner", "the location's lease moved; retry", retryAfter: 1), label: "not_owner")
            }
            // Not acknowledged: GHL retries it. An event that cannot be encoded is a defect to
            // see at once (its own outcome label), never an event stored empty.
            let label = if case ConversationError.unencodable = error { "unencodable" } else { "not_stored" }
            logger.error("webhook not stored", metadata: ["webhookId": .string(webhook.webhookId), "outcome": .string(label), "error": .string("\(error)")])
            return .refused(.unavailable("not_stored", retryAfter: 5), label: label)
        }
    }

    private static func isNotOwned(_ error: any Error) -> Bool {
        if case ConversationError.notOwned = error { return true }
        return false
    }

    static func header(_ name: String, _ request: Request) -> String? {
        request.headers.first { $0.name.canonicalName == name }?.value
    }
}

/// The 200 answers to a webhook, written without an encoder (this is the hot path).
enum WebhookAnswer: ResponseGenerator {
    /// Committed, with this many events.
    case stored(events: Int)
    case duplicate
    /// A type LiveHub does not handle.
    case ignored(type: String)
    case locationUninstalled

    var json: String {
        switch self {
        case .stored(let events): return #"{"events":\#(events),"ok":true}"#
        case .duplicate: return #"{"duplicate":true}"#
        case .ignored(let type): return #"{"ignored":true,"type":"# + JSONValue.string(type).encoded + "}"
        case .locationUninstalled: return #"{"ignored":true,"reason":"location_uninstalled"}"#
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}

import Actors
import Foundation
import Hummingbird
import Logging

/// `POST /webhooks/ghl`.
///
/// Order of checks, each with its own answer and nothing stored on failure: size (413),
/// signature (401), JSON (400), type (unknown → 200 ignored), required fields (422), replay
/// window (400), uninstalled location (200 ignored), duplicate (200 duplicate). Then the webhook
/// and everything it causes are committed, and only then does GHL get its 200. When storage is
/// behind (`maxCommitBacklog` writes waiting), webhooks get 503 with `Retry-After` before any
/// of that: GHL retries them later, and nothing queues without limit.
struct WebhookRoutes: Sendable {
    let verifier: SignatureVerifier
    let processor: WebhookProcessor
    let locations: LocationRegistry
    let config: ServerConfiguration
    let metrics: ServerMetrics
    /// Writes waiting for a durable commit now.
    let backlog: @Sendable () -> Int
    let logger: Logger

    func register(on router: Router<AppContext>) {
        router.post("/webhooks/ghl") { request, _ in
            let start = ContinuousClock.now
            let (response, outcome) = try await handle(request)
            metrics.webhook(outcome: outcome)
            // Events are queued on every subscribed socket before the actor's commit returns.
            if outcome == "ok" { metrics.fanout(ContinuousClock.now - start) }
            return response
        }
    }

    /// The response and the outcome label it is counted under.
    func handle(_ request: Request) async throws -> (Response, String) {
        if backlog() >= config.maxCommitBacklog {
            var response = JSONResponse.error(.serviceUnavailable, "overloaded", "storage is behind; retry later")
            response.headers[.retryAfter] = "1"
            return (response, "overloaded")
        }
        let limit = config.maxWebhookBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            return (JSONResponse.error(.contentTooLarge, "body_too_large", "the body exceeds \(limit) bytes"), "too_large")
        }
        var body: [UInt8] = []
        for try await chunk in request.body {
            body.append(contentsOf: chunk.readableBytesView)
            if body.count > limit { return (JSONResponse.error(.contentTooLarge, "body_too_large", "the body exceeds \(limit) bytes"), "too_large") }
        }

        let scheme: SignatureVerifier.Scheme
        if config.insecureSkipSignatureCheck {
            logger.warning("webhook accepted WITHOUT signature check (--dev-skip-signature-check)")
            scheme = .unsigned
        } else if let verified = verifier.verify(
            body: body, ed25519Header: Self.header("x-ghl-signature", request), rsaHeader: Self.header("x-wh-signature", request))
        {
            scheme = verified
        } else {
            return (JSONResponse.error(.unauthorized, "invalid_signature"), "invalid_signature")
        }

        let now = Date()
        let webhook: GHLWebhook
        do {
            webhook = try GHLWebhook.parse(body, receivedAt: now)
        } catch WebhookParseError.notJSON(let reason) {
            return (JSONResponse.error(.badRequest, "invalid_json", reason), "invalid_json")
        } catch WebhookParseError.unknownType(let type) {
            logger.debug("ignored webhook of unknown type", metadata: ["type": .string(type)])
            return (JSONResponse.make(.ok, ["ignored": .bool(true), "type": .string(type)]), "ignored")
        } catch WebhookParseError.missingField(let field) {
            return (JSONResponse.error(.unprocessableContent, "missing_field", field), "missing_field")
        }

        if let timestamp = webhook.timestamp, now.timeIntervalSince(timestamp) > config.replayWindow.inSeconds {
            return (JSONResponse.error(.badRequest, "stale_webhook", "timestamp \(timestamp.ISO8601Format()) is outside the replay window"), "stale")
        }
        if case .install = webhook.event {} else if await locations.isUninstalled(webhook.locationId) {
            return (JSONResponse.make(.ok, ["ignored": .bool(true), "reason": .string("location_uninstalled")]), "uninstalled")
        }

        let receipt = WebhookReceipt(
            webhookId: webhook.webhookId, type: webhook.type, locationId: webhook.locationId, receivedAt: now.timeIntervalSince1970,
            body: body, signatureScheme: scheme.rawValue, messageId: webhook.messageId)
        do {
            switch try await processor.process(webhook, receipt: receipt) {
            case .duplicate:
                return (JSONResponse.make(.ok, ["duplicate": .bool(true)]), "duplicate")
            case .processed(let events):
                return (JSONResponse.make(.ok, ["ok": .bool(true), "events": .int(events)]), "ok")
            }
        } catch {
            // Not acknowledged: GHL retries it. An event that cannot be encoded is a defect to
            // see at once (its own outcome label), never an event stored empty.
            let outcome = if case ConversationError.unencodable = error { "unencodable" } else { "not_stored" }
            logger.error("webhook not stored", metadata: ["webhookId": .string(webhook.webhookId), "outcome": .string(outcome), "error": .string("\(error)")])
            return (Self.notStored(), outcome)
        }
    }

    /// 503 with `Retry-After`: GHL tries again later.
    static func notStored() -> Response {
        var response = JSONResponse.error(.serviceUnavailable, "not_stored")
        response.headers[.retryAfter] = "5"
        return response
    }

    static func header(_ name: String, _ request: Request) -> String? {
        request.headers.first { $0.name.canonicalName == name }?.value
    }

}

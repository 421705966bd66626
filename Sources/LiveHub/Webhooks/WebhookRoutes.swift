import Actors
import Foundation
import Hummingbird
import Logging

/// `POST /webhooks/ghl`.
///
/// Order of checks, each with its own answer and nothing stored on failure: storage behind (503
/// with `Retry-After`, before any work), size (413), signature (401), JSON (400), type (unknown →
/// 200 ignored), required fields (422), replay window (400), uninstalled location (200 ignored),
/// duplicate (200 duplicate). Then the webhook and everything it causes are committed, and only
/// then does GHL get its 200. Every outcome is counted (`livehub_webhooks_total{outcome}`).
struct WebhookRoutes: Sendable {
    let verifier: SignatureVerifier
    let processor: WebhookProcessor
    let locations: LocationRegistry
    let config: ServerConfiguration
    let metrics: ServerMetrics
    let health: any StorageHealth
    let clock: ServerClock
    let logger: Logger

    func register(on router: Router<AppRequestContext>) {
        router.post("/webhooks/ghl") { request, _ -> WebhookAnswer in
            let start = ContinuousClock.now
            let outcome = await handle(request)
            metrics.webhook(outcome: outcome.label)
            switch outcome {
            case .answered(let answer, _):
                // Events are queued on every subscribed socket before the actor's commit returns.
                if case .stored = answer { metrics.fanout(ContinuousClock.now - start) }
                return answer
            case .refused(let error, _):
                throw error
            }
        }
    }

    /// What became of one delivery: a 200 answer or an error, each with its metrics label.
    enum Outcome {
        case answered(WebhookAnswer, label: String)
        case refused(APIError, label: String)

        var label: String {
            switch self {
            case .answered(_, let label), .refused(_, let label): return label
            }
        }
    }

    func handle(_ request: Request) async -> Outcome {
        if health.commitBacklog >= config.maxCommitBacklog {
            return .refused(.unavailable("overloaded", "storage is behind; retry later", retryAfter: 1), label: "overloaded")
        }
        let limit = config.maxWebhookBytes
        let tooLarge = Outcome.refused(APIError(.contentTooLarge, "body_too_large", "the body exceeds \(limit) bytes"), label: "too_large")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { return tooLarge }
        var body: [UInt8] = []
        do {
            for try await chunk in request.body {
                body.append(contentsOf: chunk.readableBytesView)
                if body.count > limit { return tooLarge }
            }
        } catch {
            return .refused(APIError.badRequest("body_unreadable", "the body could not be read"), label: "body_unreadable")
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
        if case .install = webhook.event {} else if locations.isUninstalled(webhook.locationId) {
            return .answered(.locationUninstalled, label: "uninstalled")
        }

        let receipt = WebhookReceipt(
            webhookId: webhook.webhookId, type: webhook.type, locationId: webhook.locationId, receivedAt: now, body: body,
            signatureScheme: scheme.rawValue, messageId: webhook.messageId)
        do {
            switch try await processor.process(webhook, receipt: receipt) {
            case .duplicate: return .answered(.duplicate, label: "duplicate")
            case .processed(let events): return .answered(.stored(events: events), label: "ok")
            }
        } catch {
            // Not acknowledged: GHL retries it. An event that cannot be encoded is a defect to
            // see at once (its own outcome label), never an event stored empty.
            let label = if case ConversationError.unencodable = error { "unencodable" } else { "not_stored" }
            logger.error("webhook not stored", metadata: ["webhookId": .string(webhook.webhookId), "outcome": .string(label), "error": .string("\(error)")])
            return .refused(.unavailable("not_stored", retryAfter: 5), label: label)
        }
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

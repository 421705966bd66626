import Foundation

/// `POST /conversations/messages` body (GHL API, Version 2021-04-15).
package struct GHLSendRequest: Sendable, Codable, Equatable {
    /// SMS, Email, WhatsApp, … (GHL's message types).
    package var type: String
    package var contactId: String
    package var message: String

    package init(type: String, contactId: String, message: String) {
        self.type = type
        self.contactId = contactId
        self.message = message
    }
}

/// What happened to one send, in terms the outbox can act on.
enum GHLSendResult: Sendable, Equatable {
    /// Accepted by GHL: `messageId` identifies it in later webhooks.
    case sent(messageId: String, conversationId: String?, status: String)
    /// 400 or 422: GHL will never accept this request as it is.
    case rejected(status: Int, message: String)
    /// 401 after the credentials were refreshed (or could not be).
    case unauthorized(String)
    /// No credentials configured for the location.
    case noCredentials
    /// 429 or the local limiter: try again after `retryAfter`.
    case rateLimited(retryAfter: Duration)
    /// A 5xx. 502 and 503 mean GHL did not process it (retried); others leave the outcome unknown.
    case serverError(status: Int)
    /// No answer in time: GHL may or may not have processed it.
    case timeout
    /// The connection broke after the request went out: outcome unknown.
    case transport(String)
    /// The request never reached GHL (no connection): safe to retry.
    case notDelivered(String)

    /// True when GHL may have accepted the message although we did not learn it: the outbox
    /// must reconcile before sending again (GHL has no idempotency key, so a blind retry could
    /// deliver the message twice).
    var outcomeUnknown: Bool {
        switch self {
        case .timeout, .transport: return true
        case .serverError(let s): return !Self.notProcessed.contains(s)
        default: return false
        }
    }

    /// A short, bounded name for metrics labels.
    var label: String {
        switch self {
        case .sent: return "sent"
        case .rejected: return "rejected"
        case .unauthorized: return "unauthorized"
        case .noCredentials: return "no_credentials"
        case .rateLimited: return "rate_limited"
        case .serverError: return "server_error"
        case .timeout: return "timeout"
        case .transport: return "transport"
        case .notDelivered: return "not_delivered"
        }
    }

    /// Statuses that say the request was not processed.
    static let notProcessed: Set<Int> = [502, 503]

    /// Safe to send again at once.
    var retryable: Bool {
        switch self {
        case .notDelivered: return true
        case .serverError(let s): return Self.notProcessed.contains(s)
        default: return false
        }
    }
}

/// GHL's success body.
struct GHLSendResponse: Decodable {
    var conversationId: String?
    var messageId: String?
    var msg: String?
    var status: String?
}

/// `GET /conversations/{id}/messages`: `{"messages": {"lastMessageId", "nextPage", "messages": [...]}}`.
struct GHLMessagePage: Decodable {
    struct Page: Decodable { var messages: [GHLMessage]? }
    var messages: Page?
}

struct GHLMessage: Decodable, Sendable {
    var id: String?
    var body: String?
    var direction: String?
    var dateAdded: String?
}

/// GHL's error body: `{"statusCode":401,"message":"…","error":"Unauthorized"}`.
struct GHLErrorBody: Decodable {
    var statusCode: Int?
    var message: String?
    var error: String?
}

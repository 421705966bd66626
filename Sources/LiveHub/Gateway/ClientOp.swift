import Actors
import Coaching
import Foundation

/// A client frame, decoded and validated. Every way a frame can be wrong has its own code.
enum ClientOp: Sendable {
    case subscribe(topic: String, since: UInt64?)
    case unsubscribe(topic: String)
    case ping
    case takeover(conversationId: String)
    case release(conversationId: String)
    case setMode(conversationId: String, mode: ConversationMode)
    case whisper(conversationId: String, text: String)
    case offerLog(conversationId: String, party: Side, amount: Double)
    case replySend(conversationId: String, text: String, suggestionId: String?, channel: String?)
    case replyCancel(conversationId: String, outboxId: String)
    /// Opens the conversation's negotiation session, or links it to `negotiationId`'s.
    case negotiationOpen(conversationId: String, negotiationId: String?, listingPrice: Double?, side: Side?)
    /// Closes a session: by its id, or the conversation's.
    case negotiationClose(conversationId: String?, negotiationId: String?, status: NegotiationStatus, finalPrice: Double?)
    /// Asks the reply model for a draft, streamed to this connection.
    case replyDraft(conversationId: String, instruction: String?)
    /// An agent put away the coaching card stored at `seq`.
    case cardDismiss(conversationId: String, seq: UInt64)
    /// A supervisor acknowledged the alert stored at `seq`.
    case alertAck(conversationId: String, seq: UInt64)

    /// The topic a `subscribe` or `unsubscribe` names.
    var topic: String? {
        switch self {
        case .subscribe(let topic, _), .unsubscribe(let topic): return topic
        default: return nil
        }
    }

    /// The conversation the op acts on; nil for the connection's own ops.
    var conversationId: String? {
        switch self {
        case .subscribe, .unsubscribe, .ping: return nil
        case .takeover(let id), .release(let id), .setMode(let id, _), .whisper(let id, _), .offerLog(let id, _, _), .replySend(let id, _, _, _),
            .replyCancel(let id, _), .negotiationOpen(let id, _, _, _), .replyDraft(let id, _), .cardDismiss(let id, _), .alertAck(let id, _):
            return id
        case .negotiationClose(let id, _, _, _):
            return id
        }
    }

    /// Whether the op changes the conversation, and so runs on the node that owns it; a draft
    /// only reads, and streams to this connection, so it runs here.
    var changesConversation: Bool {
        if case .replyDraft = self { return false }
        return conversationId != nil
    }

    struct Invalid: Error, Equatable {
        let code: String
        let message: String
        let op: String?
    }

    private struct Fields: Decodable {
        var op: String?
        var topic: String?
        var since: UInt64?
        var conversationId: String?
        var mode: String?
        var text: String?
        var party: String?
        var amount: Double?
        var suggestionId: String?
        var channel: String?
        var outboxId: String?
        var negotiationId: String?
        var listingPrice: Double?
        var side: String?
        var status: String?
        var finalPrice: Double?
        var instruction: String?
        var seq: UInt64?
    }

    static func decode(_ text: String) throws(Invalid) -> ClientOp {
        let f: Fields
        do {
            f = try JSONDecoder().decode(Fields.self, from: Data(text.utf8))
        } catch let DecodingError.typeMismatch(_, context) {
            throw Invalid(code: "invalid_field", message: "wrong type for \(context.codingPath.map(\.stringValue).joined(separator: "."))", op: nil)
        } catch {
            throw Invalid(code: "invalid_json", message: "the frame is not a JSON object", op: nil)
        }
        guard let op = f.op else { throw Invalid(code: "missing_field", message: "op", op: nil) }
        func need<T>(_ value: T?, _ name: String) throws(Invalid) -> T {
            guard let value else { throw Invalid(code: "missing_field", message: name, op: op) }
            if let s = value as? String, s.isEmpty { throw Invalid(code: "missing_field", message: name, op: op) }
            return value
        }
        switch op {
        case "subscribe": return .subscribe(topic: try need(f.topic, "topic"), since: f.since)
        case "unsubscribe": return .unsubscribe(topic: try need(f.topic, "topic"))
        case "ping": return .ping
        case "takeover": return .takeover(conversationId: try need(f.conversationId, "conversationId"))
        case "release": return .release(conversationId: try need(f.conversationId, "conversationId"))
        case "mode.set":
            let raw = try need(f.mode, "mode")
            guard let mode = ConversationMode(rawValue: raw) else { throw Invalid(code: "invalid_field", message: "mode must be auto, suggest or off", op: op) }
            return .setMode(conversationId: try need(f.conversationId, "conversationId"), mode: mode)
        case "whisper":
            let text = try need(f.text, "text")
            guard text.count <= 2_000 else { throw Invalid(code: "invalid_field", message: "text is longer than 2000 characters", op: op) }
            return .whisper(conversationId: try need(f.conversationId, "conversationId"), text: text)
        case "offer.log":
            let rawParty = try need(f.party, "party")
            guard let party = Side(rawValue: rawParty) else { throw Invalid(code: "invalid_field", message: "party must be buyer or seller", op: op) }
            let amount = try need(f.amount, "amount")
            guard amount > 0, amount < 1e10 else { throw Invalid(code: "invalid_field", message: "amount must be a positive price", op: op) }
            return .offerLog(conversationId: try need(f.conversationId, "conversationId"), party: party, amount: amount)
        case "reply.send":
            let id = try need(f.conversationId, "conversationId")
            guard let raw = f.text else { throw Invalid(code: "missing_field", message: "text", op: op) }
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw Invalid(code: "invalid_field", message: "text is empty", op: op) }
            guard text.count <= 1_600 else { throw Invalid(code: "invalid_field", message: "text is longer than 1600 characters", op: op) }
            if let channel = f.channel, !OutboundRequest.replyChannels.contains(channel) {
                throw Invalid(code: "invalid_field", message: "channel must be one of \(OutboundRequest.replyChannels.sorted().joined(separator: ", "))", op: op)
            }
            return .replySend(conversationId: id, text: text, suggestionId: f.suggestionId, channel: f.channel)
        case "reply.cancel":
            return .replyCancel(conversationId: try need(f.conversationId, "conversationId"), outboxId: try need(f.outboxId, "outboxId"))
        case "negotiation.open":
            let id = try need(f.conversationId, "conversationId")
            if let p = f.listingPrice, !(p > 0 && p < 1e10) { throw Invalid(code: "invalid_field", message: "listingPrice must be a positive price", op: op) }
            var side: Side?
            if let raw = f.side {
                guard let s = Side(rawValue: raw) else { throw Invalid(code: "invalid_field", message: "side must be buyer or seller", op: op) }
                side = s
            }
            if let n = f.negotiationId, n.isEmpty || n.count > 200 { throw Invalid(code: "invalid_field", message: "negotiationId must be 1…200 characters", op: op) }
            return .negotiationOpen(conversationId: id, negotiationId: f.negotiationId, listingPrice: f.listingPrice, side: side)
        case "negotiation.close":
            guard f.conversationId?.isEmpty == false || f.negotiationId?.isEmpty == false else {
                throw Invalid(code: "missing_field", message: "conversationId or negotiationId", op: op)
            }
            let raw = try need(f.status, "status")
            guard let status = NegotiationStatus(rawValue: raw), status.isClosed else { throw Invalid(code: "invalid_field", message: "status must be won, lost or abandoned", op: op) }
            if let p = f.finalPrice, !(p > 0 && p < 1e10) { throw Invalid(code: "invalid_field", message: "finalPrice must be a positive price", op: op) }
            return .negotiationClose(conversationId: f.conversationId, negotiationId: f.negotiationId, status: status, finalPrice: f.finalPrice)
        case "card.dismiss":
            return .cardDismiss(conversationId: try need(f.conversationId, "conversationId"), seq: try need(f.seq, "seq"))
        case "alert.ack":
            return .alertAck(conversationId: try need(f.conversationId, "conversationId"), seq: try need(f.seq, "seq"))
        case "reply.draft":
            let id = try need(f.conversationId, "conversationId")
            if let i = f.instruction, i.count > 500 { throw Invalid(code: "invalid_field", message: "instruction is longer than 500 characters", op: op) }
            return .replyDraft(conversationId: id, instruction: f.instruction?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty)
        default:
            throw Invalid(code: "unknown_op", message: "unknown op \"\(op)\"", op: op)
        }
    }

    var name: String {
        switch self {
        case .subscribe: return "subscribe"
        case .unsubscribe: return "unsubscribe"
        case .ping: return "ping"
        case .takeover: return "takeover"
        case .release: return "release"
        case .setMode: return "mode.set"
        case .whisper: return "whisper"
        case .offerLog: return "offer.log"
        case .replySend: return "reply.send"
        case .replyCancel: return "reply.cancel"
        case .negotiationOpen: return "negotiation.open"
        case .negotiationClose: return "negotiation.close"
        case .replyDraft: return "reply.draft"
        case .cardDismiss: return "card.dismiss"
        case .alertAck: return "alert.ack"
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

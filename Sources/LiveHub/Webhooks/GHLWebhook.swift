import Actors
import Foundation

/// A parsed, validated GHL webhook.
struct GHLWebhook: Sendable {
    let type: String
    let webhookId: String
    let locationId: String
    let timestamp: Date?
    let event: Event

    enum Event: Sendable {
        /// `InboundMessage` (lead → us) or `OutboundMessage` (us → lead), including calls and voicemail.
        case message(inbound: Bool, conversationId: String, contactId: String?, payload: MessagePayload, at: Double)
        case contact(change: String, profile: ContactProfile)
        case contactDeleted(contactId: String)
        case opportunity(contactId: String?, deal: DealPayload)
        case appointment(contactId: String?, appointment: AppointmentPayload)
        case install
        case uninstall
        /// A type GHL sends that LiveHub has no use for (yet): acknowledged and stored.
        case unused
    }

    var messageId: String? {
        if case .message(_, _, _, let payload, _) = event { return payload.messageId }
        return nil
    }
}

enum WebhookParseError: Error, Equatable {
    case notJSON(String)
    case missingField(String)
    case unknownType(String)
}

extension GHLWebhook {
    static let messageTypes: Set<String> = ["InboundMessage", "OutboundMessage"]
    static let contactTypes: Set<String> = ["ContactCreate", "ContactUpdate", "ContactDndUpdate", "ContactTagUpdate"]
    static let opportunityTypes: Set<String> = [
        "OpportunityCreate", "OpportunityUpdate", "OpportunityStatusUpdate", "OpportunityStageUpdate",
        "OpportunityMonetaryValueUpdate", "OpportunityAssignedToUpdate", "OpportunityDelete",
    ]
    static let appointmentTypes: Set<String> = ["AppointmentCreate", "AppointmentUpdate", "AppointmentDelete"]
    static let unusedTypes: Set<String> = ["ConversationUnreadUpdate", "NoteCreate", "NoteUpdate", "TaskCreate", "TaskComplete", "ContactDelete"]

    /// Parses the raw body. Flat bodies and a `data` envelope are both accepted.
    static func parse(_ body: [UInt8], receivedAt: Date) throws(WebhookParseError) -> GHLWebhook {
        let f: WebhookFields
        do {
            f = try JSONDecoder().decode(WebhookFields.self, from: Data(body))
        } catch let DecodingError.dataCorrupted(context) {
            throw .notJSON(Self.reason(context))
        } catch {
            throw .notJSON("the body is not a JSON object")
        }

        guard let type = f.type, !type.isEmpty else { throw .missingField("type") }
        let known = messageTypes.contains(type) || contactTypes.contains(type) || opportunityTypes.contains(type)
            || appointmentTypes.contains(type) || unusedTypes.contains(type) || type == "INSTALL" || type == "UNINSTALL"
        guard known else { throw .unknownType(type) }
        guard let location = f.locationId, !location.isEmpty else { throw .missingField("locationId") }
        // Real deliveries carry a webhookId; without one, the body's hash still de-duplicates exact retries.
        let webhookId = f.webhookId ?? "sha256:" + Self.sha256Hex(body)
        let timestamp = f.timestamp.flatMap(Self.date)
        let at = (f.dateAdded.flatMap(Self.date) ?? timestamp ?? receivedAt).timeIntervalSince1970

        let event: Event
        switch type {
        case _ where messageTypes.contains(type):
            guard let conversation = f.conversationId, !conversation.isEmpty else { throw .missingField("conversationId") }
            let recording = (f.messageType == "CALL" || f.messageType == "VoiceMail") ? f.attachments?.first : nil
            // GHL's docs show an inbound call as type OutboundMessage with direction inbound:
            // route by `type`, record the stated direction as it came.
            let payload = MessagePayload(
                messageId: f.messageId, channel: f.messageType ?? "SMS", text: f.body ?? "", direction: f.direction ?? (type == "InboundMessage" ? "inbound" : "outbound"),
                userId: f.userId, status: f.status, callDuration: f.callDuration, callStatus: f.callStatus, recordingURL: recording, source: f.source)
            event = .message(inbound: type == "InboundMessage", conversationId: conversation, contactId: f.contactId, payload: payload, at: at)
        case _ where contactTypes.contains(type):
            guard let id = f.id, !id.isEmpty else { throw .missingField("id") }
            var first = f.firstName
            var last = f.lastName
            if first == nil, last == nil, let name = f.name {
                let parts = name.split(separator: " ", maxSplits: 1)
                first = parts.first.map(String.init)
                last = parts.count > 1 ? String(parts[1]) : nil
            }
            let dnd = (f.dndSettings ?? [:]).filter { $0.value.status?.lowercased() == "active" }.keys.sorted()
            let profile = ContactProfile(
                id: id, locationId: location, firstName: first, lastName: last, email: f.email, phone: f.phone, assignedTo: f.assignedTo,
                tags: f.tags ?? [], timezone: f.timezone, dndChannels: f.dndSettings == nil && f.dnd == true ? ["all"] : dnd)
            event = .contact(change: type, profile: profile)
        case _ where opportunityTypes.contains(type):
            guard let id = f.id, !id.isEmpty else { throw .missingField("id") }
            event = .opportunity(contactId: f.contactId, deal: DealPayload(
                opportunityId: id, name: f.name, status: f.status, stageId: f.pipelineStageId, pipelineId: f.pipelineId,
                monetaryValue: f.monetaryValue, assignedTo: f.assignedTo, change: type))
        case _ where appointmentTypes.contains(type):
            guard let a = f.appointment else { throw .missingField("appointment") }
            guard let id = a.id, !id.isEmpty else { throw .missingField("appointment.id") }
            event = .appointment(contactId: a.contactId, appointment: AppointmentPayload(
                appointmentId: id, title: a.title, status: a.appointmentStatus, startTime: a.startTime, endTime: a.endTime,
                assignedUserId: a.assignedUserId, address: a.address, change: type))
        case "INSTALL": event = .install
        case "UNINSTALL": event = .uninstall
        default: event = .unused
        }
        return GHLWebhook(type: type, webhookId: webhookId, locationId: location, timestamp: timestamp, event: event)
    }

    static func reason(_ context: DecodingError.Context) -> String {
        if let underlying = context.underlyingError as NSError? {
            return underlying.userInfo[NSDebugDescriptionErrorKey] as? String ?? underlying.localizedDescription
        }
        return context.debugDescription
    }

    static func date(_ s: String) -> Date? {
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return (try? withFraction.parse(s)) ?? (try? Date.ISO8601FormatStyle().parse(s))
    }

    static func sha256Hex(_ body: [UInt8]) -> String {
        Hex.sha256(body)
    }
}

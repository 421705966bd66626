import Foundation

/// Every field LiveHub reads from any GHL webhook, all optional and decoded leniently: a field
/// of an unexpected type is treated as absent (GHL's docs and deliveries disagree at times,
/// e.g. `callDuration` as a number or a string), and unknown fields are ignored.
struct WebhookFields: Decodable, Sendable {
    var type: String?
    var timestamp: String?
    var webhookId: String?
    var locationId: String?
    var appId: String?
    var companyId: String?
    // Messages
    var contactId: String?
    var conversationId: String?
    var messageId: String?
    var body: String?
    var messageType: String?
    var direction: String?
    var status: String?
    var userId: String?
    var dateAdded: String?
    var source: String?
    var attachments: [String]?
    var callDuration: Double?
    var callStatus: String?
    // Contacts and opportunities (`id` is the contact's or the opportunity's id)
    var id: String?
    var firstName: String?
    var lastName: String?
    var name: String?
    var email: String?
    var phone: String?
    var assignedTo: String?
    var tags: [String]?
    var timezone: String?
    var dnd: Bool?
    var dndSettings: [String: DndSetting]?
    var monetaryValue: Double?
    var pipelineId: String?
    var pipelineStageId: String?
    var appointment: AppointmentFields?

    struct DndSetting: Decodable, Sendable {
        var status: String?
    }

    struct AppointmentFields: Decodable, Sendable {
        var id: String?
        var contactId: String?
        var title: String?
        var appointmentStatus: String?
        var startTime: String?
        var endTime: String?
        var assignedUserId: String?
        var address: String?
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        func s(_ k: String) -> String? {
            if let v = try? c.decodeIfPresent(String.self, forKey: AnyKey(k)) { return v }
            if let v = try? c.decodeIfPresent(Double.self, forKey: AnyKey(k)) { return String(v) }
            return nil
        }
        func d(_ k: String) -> Double? {
            if let v = try? c.decodeIfPresent(Double.self, forKey: AnyKey(k)) { return v }
            if let v = try? c.decodeIfPresent(String.self, forKey: AnyKey(k)) { return Double(v) }
            return nil
        }
        type = s("type")
        timestamp = s("timestamp")
        webhookId = s("webhookId")
        locationId = s("locationId")
        appId = s("appId")
        companyId = s("companyId")
        contactId = s("contactId")
        conversationId = s("conversationId")
        messageId = s("messageId")
        body = s("body")
        messageType = s("messageType")
        direction = s("direction")
        status = s("status")
        userId = s("userId")
        dateAdded = s("dateAdded")
        source = s("source")
        attachments = try? c.decodeIfPresent([String].self, forKey: AnyKey("attachments"))
        callDuration = d("callDuration")
        callStatus = s("callStatus")
        id = s("id")
        firstName = s("firstName")
        lastName = s("lastName")
        name = s("name")
        email = s("email")
        phone = s("phone")
        assignedTo = s("assignedTo")
        tags = try? c.decodeIfPresent([String].self, forKey: AnyKey("tags"))
        timezone = s("timezone")
        dnd = try? c.decodeIfPresent(Bool.self, forKey: AnyKey("dnd"))
        dndSettings = try? c.decodeIfPresent([String: DndSetting].self, forKey: AnyKey("dndSettings"))
        monetaryValue = d("monetaryValue")
        pipelineId = s("pipelineId")
        pipelineStageId = s("pipelineStageId")
        appointment = try? c.decodeIfPresent(AppointmentFields.self, forKey: AnyKey("appointment"))
    }

    /// Fields of the `data` envelope fill whatever the top level does not carry.
    func filling(from inner: WebhookFields) -> WebhookFields {
        var out = self
        out.type = type ?? inner.type
        out.timestamp = timestamp ?? inner.timestamp
        out.webhookId = webhookId ?? inner.webhookId
        out.locationId = locationId ?? inner.locationId
        out.appId = appId ?? inner.appId
        out.companyId = companyId ?? inner.companyId
        out.contactId = contactId ?? inner.contactId
        out.conversationId = conversationId ?? inner.conversationId
        out.messageId = messageId ?? inner.messageId
        out.body = body ?? inner.body
        out.messageType = messageType ?? inner.messageType
        out.direction = direction ?? inner.direction
        out.status = status ?? inner.status
        out.userId = userId ?? inner.userId
        out.dateAdded = dateAdded ?? inner.dateAdded
        out.source = source ?? inner.source
        out.attachments = attachments ?? inner.attachments
        out.callDuration = callDuration ?? inner.callDuration
        out.callStatus = callStatus ?? inner.callStatus
        out.id = id ?? inner.id
        out.firstName = firstName ?? inner.firstName
        out.lastName = lastName ?? inner.lastName
        out.name = name ?? inner.name
        out.email = email ?? inner.email
        out.phone = phone ?? inner.phone
        out.assignedTo = assignedTo ?? inner.assignedTo
        out.tags = tags ?? inner.tags
        out.timezone = timezone ?? inner.timezone
        out.dnd = dnd ?? inner.dnd
        out.dndSettings = dndSettings ?? inner.dndSettings
        out.monetaryValue = monetaryValue ?? inner.monetaryValue
        out.pipelineId = pipelineId ?? inner.pipelineId
        out.pipelineStageId = pipelineStageId ?? inner.pipelineStageId
        out.appointment = appointment ?? inner.appointment
        return out
    }
}

struct AnyKey: CodingKey {
    let stringValue: String
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

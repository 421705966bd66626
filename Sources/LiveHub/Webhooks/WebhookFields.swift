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

    /// Reads every field from the top level, falling back to the `data` envelope when the top
    /// level does not carry it (GHL's integration guide shows event fields wrapped in `data`).
    init(from decoder: any Decoder) throws {
        let top = try decoder.container(keyedBy: AnyKey.self)
        let inner = try? top.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("data"))
        func value<T: Decodable>(_ k: String, _: T.Type = T.self) -> T? {
            (try? top.decodeIfPresent(T.self, forKey: AnyKey(k))) ?? inner.flatMap { try? $0.decodeIfPresent(T.self, forKey: AnyKey(k)) }
        }
        func s(_ k: String) -> String? { value(k, String.self) ?? value(k, Double.self).map { String($0) } }
        // "NaN" and "inf" parse as Doubles but are no quantity and have no JSON form: absent.
        func d(_ k: String) -> Double? { (value(k, Double.self) ?? value(k, String.self).flatMap(Double.init)).flatMap { $0.isFinite ? $0 : nil } }
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
        attachments = value("attachments")
        callDuration = d("callDuration")
        callStatus = s("callStatus")
        id = s("id")
        firstName = s("firstName")
        lastName = s("lastName")
        name = s("name")
        email = s("email")
        phone = s("phone")
        assignedTo = s("assignedTo")
        tags = value("tags")
        timezone = s("timezone")
        dnd = value("dnd")
        dndSettings = value("dndSettings")
        monetaryValue = d("monetaryValue")
        pipelineId = s("pipelineId")
        pipelineStageId = s("pipelineStageId")
        appointment = value("appointment")
    }
}

struct AnyKey: CodingKey {
    let stringValue: String
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

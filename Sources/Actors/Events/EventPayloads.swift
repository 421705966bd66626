import Coaching
import Foundation

/// `message.inbound` and `message.outbound`.
public struct MessagePayload: Sendable, Codable, Hashable {
    public var messageId: String?
    public var channel: String
    public var text: String
    public var direction: String
    /// GHL user who sent it (outbound by a person), when known.
    public var userId: String?
    public var status: String?
    /// Calls and voicemail.
    public var callDuration: Double?
    public var callStatus: String?
    public var recordingURL: String?
    public var source: String?
    /// For messages LiveHub sends: `queued`, `sent`, `failed` or `cancelled`.
    public var delivery: String?
    /// The outbox entry of a message LiveHub sends.
    public var outboxId: String?
    public var error: String?

    public init(messageId: String? = nil, channel: String, text: String, direction: String, userId: String? = nil, status: String? = nil, callDuration: Double? = nil, callStatus: String? = nil, recordingURL: String? = nil, source: String? = nil, delivery: String? = nil, outboxId: String? = nil, error: String? = nil) {
        self.messageId = messageId
        self.channel = channel
        self.text = text
        self.direction = direction
        self.userId = userId
        self.status = status
        self.callDuration = callDuration
        self.callStatus = callStatus
        self.recordingURL = recordingURL
        self.source = source
        self.delivery = delivery
        self.outboxId = outboxId
        self.error = error
    }
}

/// The contact behind a conversation, shared by all of that contact's conversations.
public struct ContactProfile: Sendable, Codable, Hashable {
    public var id: String
    public var locationId: String
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    public var phone: String?
    public var assignedTo: String?
    public var tags: [String]
    public var timezone: String?
    /// Channels on which do-not-disturb is active (SMS, Call, Email, …).
    public var dndChannels: [String]

    public init(id: String, locationId: String, firstName: String? = nil, lastName: String? = nil, email: String? = nil, phone: String? = nil, assignedTo: String? = nil, tags: [String] = [], timezone: String? = nil, dndChannels: [String] = []) {
        self.id = id
        self.locationId = locationId
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.phone = phone
        self.assignedTo = assignedTo
        self.tags = tags
        self.timezone = timezone
        self.dndChannels = dndChannels
    }
}

/// `opt_out.changed`: per-channel opt-out, from GHL's DND state or an opt-out the lead wrote.
public struct OptOutPayload: Sendable, Codable, Hashable {
    public var channels: [String]
    public var source: String
    public var evidence: [String]
}

/// `deal.updated`: the opportunity behind the conversation.
public struct DealPayload: Sendable, Codable, Hashable {
    public var opportunityId: String
    public var name: String?
    public var status: String?
    public var stageId: String?
    public var pipelineId: String?
    public var monetaryValue: Double?
    public var assignedTo: String?
    public var change: String

    public init(opportunityId: String, name: String? = nil, status: String? = nil, stageId: String? = nil, pipelineId: String? = nil, monetaryValue: Double? = nil, assignedTo: String? = nil, change: String) {
        self.opportunityId = opportunityId
        self.name = name
        self.status = status
        self.stageId = stageId
        self.pipelineId = pipelineId
        self.monetaryValue = monetaryValue
        self.assignedTo = assignedTo
        self.change = change
    }
}

/// `appointment.booked`: a showing booked or changed.
public struct AppointmentPayload: Sendable, Codable, Hashable {
    public var appointmentId: String
    public var title: String?
    public var status: String?
    public var startTime: String?
    public var endTime: String?
    public var assignedUserId: String?
    public var address: String?
    public var change: String

    public init(appointmentId: String, title: String? = nil, status: String? = nil, startTime: String? = nil, endTime: String? = nil, assignedUserId: String? = nil, address: String? = nil, change: String) {
        self.appointmentId = appointmentId
        self.title = title
        self.status = status
        self.startTime = startTime
        self.endTime = endTime
        self.assignedUserId = assignedUserId
        self.address = address
        self.change = change
    }
}

public struct AssignmentPayload: Sendable, Codable, Hashable {
    public var assignedTo: String?
    public var previous: String?
    /// "ghl" when GHL reassigned the contact, "takeover"/"release" for supervisor actions.
    public var reason: String
}

/// How the auto-responder treats the conversation.
public enum ConversationMode: String, Sendable, Codable, Hashable, CaseIterable { case auto, suggest, off }

public struct ModePayload: Sendable, Codable, Hashable {
    public var mode: ConversationMode
    public var by: String
}

public struct WhisperPayload: Sendable, Codable, Hashable {
    public var from: String
    public var to: String?
    public var text: String
}

/// `alert`: something a supervisor should look at now.
public struct AlertPayload: Sendable, Codable, Hashable {
    public enum Reason: String, Sendable, Codable, Hashable {
        case slaBreach = "sla_breach", humanRequested = "human_requested", legalThreat = "legal_threat"
        case negativeSentiment = "negative_sentiment", optOut = "opt_out", negotiation
    }

    public var reason: Reason
    public var message: String
    public var waitingSeconds: Double?
    public var evidence: [String]
}

/// `autoresponder.decision`: what the auto-responder did with a lead message, and why.
public struct AutoDecisionPayload: Sendable, Codable, Hashable {
    /// `sent`, `held` or `escalated`.
    public var action: String
    public var reason: String
    public var outboxId: String?
    /// For a hold in quiet hours: when it will be reconsidered (epoch seconds).
    public var retryAt: Double?
}

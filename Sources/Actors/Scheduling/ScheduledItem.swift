import Coaching

/// Work a conversation has scheduled for later. It is written in the same commit that schedules
/// it and removed in the commit that carries it out, so it survives passivation and restarts
/// and is done once: a crash before that commit leaves it to be done again, a crash after it
/// leaves nothing.
public struct ScheduledItem: Sendable, Hashable, Codable {
    /// One item of each kind per conversation; scheduling another replaces it.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The first-response target for the lead's oldest unanswered message.
        case slaCheck = "sla_check"
        /// An automatic reply waiting for its delay or for the sending window to open.
        case autoReply = "auto_reply"
        /// The next fetch of a call transcript (the calls are in the state's `pendingCalls`).
        case transcript
    }

    public let conversationId: String
    /// When it is due, in seconds since the epoch.
    public let dueAt: Double
    /// Identifies this scheduling: a timer armed for an item that was replaced or cancelled
    /// since finds another token (or none) and does nothing.
    public let token: UInt64
    public let work: ScheduledWork

    public var kind: Kind { work.kind }

    public init(conversationId: String, dueAt: Double, token: UInt64, work: ScheduledWork) {
        self.conversationId = conversationId
        self.dueAt = dueAt
        self.token = token
        self.work = work
    }
}

/// What scheduled work needs when it comes due.
public enum ScheduledWork: Sendable, Hashable, Codable {
    /// Alert (and maybe answer) if the lead who started waiting at `waitingSince` still waits.
    case slaCheck(waitingSince: Double)
    /// Check every rule again and send the held reply, or record why not.
    case autoReply(HeldReply)
    /// Fetch the transcripts of the pending calls that are due.
    case transcriptCheck

    public var kind: ScheduledItem.Kind {
        switch self {
        case .slaCheck: return .slaCheck
        case .autoReply: return .autoReply
        case .transcriptCheck: return .transcript
        }
    }
}

/// An automatic reply held for later, with the analysis it was decided on.
public struct HeldReply: Sendable, Hashable, Codable {
    public let analysis: MessageAnalysis
    public let replies: [SuggestedReply]
    public let slaBreached: Bool

    public init(analysis: MessageAnalysis, replies: [SuggestedReply], slaBreached: Bool) {
        self.analysis = analysis
        self.replies = replies
        self.slaBreached = slaBreached
    }
}

/// A change to a conversation's scheduled work, written in the commit that makes it.
public enum ScheduleChange: Sendable, Hashable {
    case set(ScheduledItem)
    case clear(ScheduledItem.Kind)

    public var kind: ScheduledItem.Kind {
        switch self {
        case .set(let item): return item.kind
        case .clear(let kind): return kind
        }
    }
}

import Actors

/// Who may subscribe to what.
///
/// - `conversation:{id}` — agents: conversations in their locations assigned to them, taken
///   over by them, or unassigned; supervisors and admins: any in their locations.
/// - `negotiation:{id}` — supervisors and admins of its location; agents who may read one of
///   the conversations that feed it.
/// - `location:{id}` — supervisors and admins of that location: every conversation; agents of
///   it: the conversations they may read.
/// - `agent:{userId}` — that user only.
enum Topic: Equatable {
    case conversation(String)
    case negotiation(String)
    case location(String)
    case agent(String)

    init?(_ raw: String) {
        let parts = raw.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].count <= 200 else { return nil }
        let id = String(parts[1])
        switch parts[0] {
        case "conversation": self = .conversation(id)
        case "negotiation": self = .negotiation(id)
        case "location": self = .location(id)
        case "agent": self = .agent(id)
        default: return nil
        }
    }
}

enum TopicAccess {
    static func mayRead(_ token: AccessToken, conversation s: ConversationSummary) -> Bool {
        mayRead(token, location: s.locationId, assignedTo: s.assignedTo, takenOverBy: s.takenOverBy)
    }

    static func mayRead(_ token: AccessToken, conversation s: ConversationState) -> Bool {
        mayRead(token, location: s.locationId, assignedTo: s.assignedTo, takenOverBy: s.takenOverBy)
    }

    static func mayRead(_ token: AccessToken, location: String, assignedTo: String?, takenOverBy: String?) -> Bool {
        guard token.canSee(location: location) else { return false }
        if token.isSupervisor { return true }
        return assignedTo == nil || assignedTo == token.userId || takenOverBy == token.userId
    }

    /// `location:{id}`: supervisors see every conversation of it; agents only those they may
    /// read (the hub filters).
    static func mayWatch(_ token: AccessToken, location: String) -> Bool {
        token.canSee(location: location)
    }

    static func mayRead(_ token: AccessToken, location: String) -> Bool {
        token.isSupervisor && token.canSee(location: location)
    }

    static func mayRead(_ token: AccessToken, agent: String) -> Bool {
        token.userId == agent
    }
}

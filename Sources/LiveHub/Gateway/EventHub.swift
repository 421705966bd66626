import Actors
import Foundation
import Synchronization

/// Something that receives frames for the topics it subscribed to. `deliver` must not block:
/// the hub calls it while fanning out and never waits for a socket.
protocol TopicSubscriber: AnyObject, Sendable {
    var id: ObjectIdentifier { get }
    /// Frames of one topic, in order.
    func deliver(_ frames: [ServerFrame])
    /// Whether the subscriber may still read this conversation after the change (an agent loses
    /// a conversation reassigned to someone else).
    func mayRead(_ summary: ConversationSummary) -> Bool
    /// Called instead of delivering when `mayRead` turned false: the subscription ends.
    func revoke(_ topic: String)
    /// Who this subscriber is, for `conversation.viewers` (nil: not a person).
    var viewer: ConversationViewer? { get }
    /// Whether the subscriber may read a conversation it watches through its location.
    func mayRead(_ conversation: WatchedConversation) -> Bool
}

extension TopicSubscriber {
    var id: ObjectIdentifier { ObjectIdentifier(self) }
    func mayRead(_ summary: ConversationSummary) -> Bool { true }
    func revoke(_ topic: String) {}
    var viewer: ConversationViewer? { nil }
    func mayRead(_ conversation: WatchedConversation) -> Bool { true }
}

/// Delivery to this node's sockets: what the event bus carries goes to the subscribers of its
/// topics, without ever waiting for a socket.
///
/// - `conversation:{id}` gets every event of the conversation;
/// - `location:{id}` gets one `conversation.summary` per commit, the alerts, agent presence and
///   auto-responder settings changes;
/// - `agent:{userId}` gets the whispers and assignment changes addressed to that agent.
final class EventHub: Sendable {
    private let topics = Mutex<[String: [ObjectIdentifier: any TopicSubscriber]]>([:])
    let metrics: ServerMetrics?
    let presence = PresenceBook()
    /// Numbers `conversation.viewers` announcements (see `Viewers`).
    let viewerVersion = Atomic<UInt64>(0)

    init(metrics: ServerMetrics? = nil) {
        self.metrics = metrics
    }

    var subscriptionCount: Int { topics.withLock { $0.values.reduce(0) { $0 + $1.count } } }

    /// A connection's queue overflowed and one of its topics was resynced.
    func overflowed() { metrics?.overflow() }

    func subscribe(_ s: any TopicSubscriber, to topic: String) {
        let watching = s.viewer != nil && topic.hasPrefix(Self.conversationPrefix)
        let viewers = topics.withLock { t in
            t[topic, default: [:]][s.id] = s
            return watching ? Self.viewers(t[topic], version: viewerVersion.add(1, ordering: .relaxed).newValue) : nil
        }
        if let viewers { announce(viewers, of: topic) }
    }

    func unsubscribe(_ s: any TopicSubscriber, from topic: String) {
        let watching = s.viewer != nil && topic.hasPrefix(Self.conversationPrefix)
        let viewers = topics.withLock { t -> Viewers? in
            let removed = t[topic]?.removeValue(forKey: s.id) != nil
            let after = t[topic]
            if t[topic]?.isEmpty == true { t[topic] = nil }
            return removed && watching ? Self.viewers(after, version: viewerVersion.add(1, ordering: .relaxed).newValue) : nil
        }
        if let viewers { announce(viewers, of: topic) }
    }

    static let conversationPrefix = "conversation:"

    /// Who has a conversation open on this node, numbered in the order the changes were made
    /// (under the topics lock): announcements sent out of that order are told apart by clients.
    struct Viewers {
        let people: [ConversationViewer]
        let version: UInt64
    }

    static func viewers(_ subscribers: [ObjectIdentifier: any TopicSubscriber]?, version: UInt64) -> Viewers {
        let people = Set((subscribers ?? [:]).values.compactMap(\.viewer))
        return Viewers(people: people.sorted { ($0.user, $0.role) < ($1.user, $1.role) }, version: version)
    }

    /// The people who have `topic` (a conversation's) open on this node now.
    func viewers(of topic: String) -> Viewers {
        topics.withLock { t in Self.viewers(t[topic], version: viewerVersion.load(ordering: .relaxed)) }
    }

    /// Sends a frame that is not a stored event (agent presence) to a topic's subscribers.
    func broadcast(_ frame: ServerFrame, to topic: String) {
        let subscribers = topics.withLock { Array(($0[topic] ?? [:]).values) }
        for s in subscribers { s.deliver([frame]) }
    }

    func subscribers(of topic: String) -> [any TopicSubscriber] { topics.withLock { Array(($0[topic] ?? [:]).values) } }

    func subscriberCount(_ topic: String) -> Int { topics.withLock { $0[topic]?.count ?? 0 } }

    /// An agent connected or left: their locations' supervisors see it.
    func publish(_ presence: AgentPresence) {
        for location in presence.locations where location != "*" {
            let topic = "location:" + location
            let frame = ServerFrame.object([
                "type": .string("event"), "topic": .string(topic), "kind": .string("agent.presence"),
                "at": .string(Date(timeIntervalSince1970: presence.at).ISO8601Format()), "user": .string(presence.user), "online": .bool(presence.online),
            ], topic: topic)
            broadcast(frame, to: topic)
        }
    }

    /// A location's auto-responder settings changed: its supervisors see the new settings.
    func publish(_ change: SettingsChange) {
        let topic = "location:" + change.location
        guard subscriberCount(topic) > 0, let data = try? PayloadEncoder.encode(change.settings) else { return }
        let frame = ServerFrame(
            text: #"{"type":"event","topic":"# + JSONValue.string(topic).encoded + #","kind":"autoresponder.settings","by":"# + JSONValue.string(change.by).encoded
                + #","at":\#(change.at),"data":"# + String(decoding: data, as: UTF8.self) + "}",
            topic: topic, seq: nil)
        broadcast(frame, to: topic)
    }

    /// A conversation's commit: its events to the conversation's topic, its summary and alerts
    /// to the location's, whispers and assignments to the agents concerned. Frames are built only
    /// for topics someone on this node listens to.
    func publish(_ commit: ConversationCommit) { publish(CommittedEvents(commit)) }

    /// A commit's events and summary, from this node's actor or another node's.
    func publish(_ commit: CommittedEvents) {
        let events = commit.events
        let summary = commit.summary
        guard let last = events.last else { return }
        metrics?.events(events)
        let conversationTopic = "conversation:" + summary.conversationId
        let locationTopic = "location:" + summary.locationId
        var (watchers, supervisors) = topics.withLock { t in (Array((t[conversationTopic] ?? [:]).values), Array((t[locationTopic] ?? [:]).values)) }
        // Access is re-checked when the conversation changes hands.
        if !watchers.isEmpty, events.contains(where: { $0.kind == .assignmentChanged }) {
            let revoked = watchers.filter { !$0.mayRead(summary) }
            watchers.removeAll { !$0.mayRead(summary) }
            for s in revoked {
                unsubscribe(s, from: conversationTopic)
                s.revoke(conversationTopic)
            }
        }
        // An agent who read the deal through this conversation may no longer: that session
        // topic ends too (a client that may still read it through another of the deal's
        // conversations subscribes again, and is let in).
        if let nid = summary.negotiationId, events.contains(where: { $0.kind == .assignmentChanged }) {
            let topic = "negotiation:" + nid
            for s in topics.withLock({ Array(($0[topic] ?? [:]).values) }) where !s.mayRead(summary) {
                unsubscribe(s, from: topic)
                s.revoke(topic)
            }
        }
        if !watchers.isEmpty {
            let frames = events.map { ServerFrame.event(topic: conversationTopic, $0) }
            for s in watchers { s.deliver(frames) }
        }
        presence.update(summary)
        // The summary has no other encoding to fail where the state's did not: `try?` loses nothing.
        // Agents on the location topic see only the conversations they may read. One that a
        // reassignment took from them is named in a `conversation.removed`; of the others they
        // hear nothing, not even that they changed.
        if !supervisors.isEmpty, let json = try? PayloadEncoder.encode(summary) {
            var frames = [ServerFrame.summary(topic: locationTopic, json: json, at: last.at)]
            frames += events.filter { Self.locationKinds.contains($0.kind) }.map { ServerFrame.event(topic: locationTopic, $0) }
            let previous = events.filter { $0.kind == .assignmentChanged }.map { (try? $0.decode(AssignmentPayload.self))?.previous }
            for s in supervisors {
                if s.mayRead(summary) {
                    s.deliver(frames)
                } else if let user = s.viewer?.user, previous.contains(where: { $0 == nil || $0 == user }) {
                    s.deliver([Self.removed(summary.conversationId, topic: locationTopic, at: last.at)])
                }
            }
        }
        for e in events where e.kind == .whisper || e.kind == .assignmentChanged {
            guard let to = Self.addressee(e) else { continue }
            let topic = "agent:" + to
            let agents = topics.withLock { Array(($0[topic] ?? [:]).values) }
            guard !agents.isEmpty else { continue }
            let frame = ServerFrame.event(topic: topic, e)
            for s in agents { s.deliver([frame]) }
        }
    }

    /// A negotiation session's commit: its events to `negotiation:{id}`, in order.
    func publish(_ n: NegotiationEvents) {
        let topic = "negotiation:" + n.negotiationId
        let watchers = topics.withLock { Array(($0[topic] ?? [:]).values) }
        guard !watchers.isEmpty else { return }
        let frames = n.events.map { ServerFrame.event(topic: topic, $0) }
        for s in watchers { s.deliver(frames) }
    }

    /// The events a location's topic carries besides the summaries.
    static let locationKinds: Set<EventKind> = [.alert, .alertAcknowledged, .autoresponderDecision]

    static func removed(_ conversationId: String, topic: String, at: Double) -> ServerFrame {
        ServerFrame(
            text: #"{"type":"event","topic":"# + JSONValue.string(topic).encoded + #","kind":"conversation.removed","at":\#(at),"data":{"conversationId":"#
                + JSONValue.string(conversationId).encoded + "}}",
            topic: topic, seq: nil)
    }

    static func addressee(_ e: ConversationEvent) -> String? {
        switch e.kind {
        case .whisper: return (try? e.decode(WhisperPayload.self))?.to
        case .assignmentChanged: return (try? e.decode(AssignmentPayload.self))?.assignedTo
        default: return nil
        }
    }
}

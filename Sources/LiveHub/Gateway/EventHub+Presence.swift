import Foundation

/// Presence frames, which are not stored events: who has a conversation open
/// (`conversation.viewers`, to the conversation's topic and to those of its location's
/// subscribers who may read it) and, for a new subscriber of a location, who is online and
/// watching now.
extension EventHub {
    /// Tells the conversation's watchers, and its location's subscribers who may read it, who
    /// has `topic` open now.
    func announce(_ viewers: Viewers, of topic: String) {
        let conversation = String(topic.dropFirst(Self.conversationPrefix.count))
        guard let watched = presence.watched(conversation) else { return }
        let at = Date().timeIntervalSince1970
        broadcast(Self.viewersFrame(conversation, viewers, topic: topic, at: at), to: topic)
        let locationTopic = "location:" + watched.locationId
        let subscribers = subscribers(of: locationTopic).filter { $0.mayRead(watched) }
        guard !subscribers.isEmpty else { return }
        let frame = Self.viewersFrame(conversation, viewers, topic: locationTopic, at: at)
        for s in subscribers { s.deliver([frame]) }
    }

    /// For a new subscriber of `location:{id}`: the agents online and the open conversations it
    /// may read, as this node knows them.
    func presenceSnapshot(location: String, for subscriber: any TopicSubscriber, at: Double) -> [ServerFrame] {
        let topic = "location:" + location
        let agents = presence.agentsOnline(in: location).map { user in
            ServerFrame(
                text: #"{"type":"event","topic":"# + JSONValue.string(topic).encoded + #","kind":"agent.presence","at":"# + JSONValue.string(Date(timeIntervalSince1970: at).ISO8601Format()).encoded
                    + #","user":"# + JSONValue.string(user).encoded + #","online":true}"#,
                topic: topic, seq: nil)
        }
        let watched = presence.conversations(in: location).filter { subscriber.mayRead($0) }.sorted { $0.conversationId < $1.conversationId }
        let frames = watched.compactMap { w -> ServerFrame? in
            let viewers = viewers(of: Self.conversationPrefix + w.conversationId)
            return viewers.people.isEmpty ? nil : Self.viewersFrame(w.conversationId, viewers, topic: topic, at: at)
        }
        return agents + frames
    }

    static func viewersFrame(_ conversation: String, _ viewers: Viewers, topic: String, at: Double) -> ServerFrame {
        let list = viewers.people.map { #"{"user":"# + JSONValue.string($0.user).encoded + #","role":"# + JSONValue.string($0.role).encoded + "}" }.joined(separator: ",")
        return ServerFrame(
            text: #"{"type":"event","topic":"# + JSONValue.string(topic).encoded + #","kind":"conversation.viewers","at":\#(at),"data":{"conversationId":"#
                + JSONValue.string(conversation).encoded + #","version":\#(viewers.version),"viewers":["# + list + "]}}",
            topic: topic, seq: nil)
    }
}

import Foundation

/// Presence frames, which are not stored events: who has a conversation open
/// (`conversation.viewers`, to the conversation's topic and its location's) and, for a new
/// subscriber of a location, who is online and watching now.
extension EventHub {
    /// Tells the conversation's and its location's subscribers who has `topic` open now.
    func announceViewers(of topic: String) {
        let conversation = String(topic.dropFirst(Self.conversationPrefix.count))
        let viewers = viewers(of: topic)
        guard let location = presence.location(of: conversation) else { return }
        if viewers.isEmpty { presence.forget(conversation: conversation) }
        let at = Date().timeIntervalSince1970
        broadcast(Self.viewersFrame(conversation, viewers, topic: topic, at: at), to: topic)
        let locationTopic = "location:" + location
        broadcast(Self.viewersFrame(conversation, viewers, topic: locationTopic, at: at), to: locationTopic)
    }

    /// For a new subscriber of `location:{id}`: the agents online and the open conversations,
    /// as this node knows them.
    func presenceSnapshot(location: String, at: Double) -> [ServerFrame] {
        let topic = "location:" + location
        let agents = presence.agentsOnline(in: location).map { user in
            ServerFrame(
                text: #"{"type":"event","topic":"# + JSONValue.string(topic).encoded + #","kind":"agent.presence","at":"# + JSONValue.string(Date(timeIntervalSince1970: at).ISO8601Format()).encoded
                    + #","user":"# + JSONValue.string(user).encoded + #","online":true}"#,
                topic: topic, seq: nil)
        }
        let watched = presence.conversations(in: location).sorted().compactMap { id -> ServerFrame? in
            let viewers = viewers(of: Self.conversationPrefix + id)
            return viewers.isEmpty ? nil : Self.viewersFrame(id, viewers, topic: topic, at: at)
        }
        return agents + watched
    }

    static func viewersFrame(_ conversation: String, _ viewers: [ConversationViewer], topic: String, at: Double) -> ServerFrame {
        let list = viewers.map { #"{"user":"# + JSONValue.string($0.user).encoded + #","role":"# + JSONValue.string($0.role).encoded + "}" }.joined(separator: ",")
        return ServerFrame(
            text: #"{"type":"event","topic":"# + JSONValue.string(topic).encoded + #","kind":"conversation.viewers","at":\#(at),"data":{"conversationId":"#
                + JSONValue.string(conversation).encoded + #","viewers":["# + list + "]}}",
            topic: topic, seq: nil)
    }
}

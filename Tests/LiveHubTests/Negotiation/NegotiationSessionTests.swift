import Actors
import Foundation
import Testing

@testable import LiveHub

/// Negotiation sessions end to end: real webhooks, real WebSockets, SQLite.
@Suite("Negotiation sessions as actors", .serialized)
struct NegotiationSessionTests {
    func seedWithOpportunity(_ h: Harness) async throws {
        try await h.seedConversation()
        #expect(try await h.post(try GHLFixture.body("opportunity-status-update")).status == .ok)  // opp-1, $430,000, open
    }

    func sms(_ h: Harness, _ text: String, id: String, conversation: String = "conv-1", contact: String = "contact-1") async throws {
        let body = try GHLFixture.body("inbound-sms", ["webhookId": "wh-" + id, "messageId": id, "body": text, "conversationId": conversation, "contactId": contact])
        #expect(try await h.post(body).status == .ok)
    }

    func kinds(_ p: WSProbe, _ topic: String) -> [String] { p.events(topic: topic).compactMap { $0["kind"] as? String } }

    @Test("a subscribe sent while the session is being opened waits for it instead of not_found; an unknown one is not_found and names its topic")
    func subscribeWhileOpening() async throws {
        try await Harness.run { h in
            try await seedWithOpportunity(h)
            let agent = try await h.connect("agent-1", .agent)
            // The subscribe goes first; the prices that open opp-1's session follow at once.
            try await agent.send(#"{"op":"subscribe","topic":"negotiation:opp-1","since":0}"#)
            try await sms(h, "Would the sellers take 415,000? It's above our budget otherwise.", id: "m-offer-race")
            try await agent.waitUntil { !$0.frames(type: "subscribed").isEmpty || !$0.frames(type: "error").isEmpty }
            #expect(agent.frames(type: "error").isEmpty)
            try await agent.waitUntil { kinds($0, "negotiation:opp-1").contains("negotiation.updated") }
            try await agent.send(#"{"op":"subscribe","topic":"negotiation:nope"}"#)
            try await agent.waitUntil { !$0.frames(type: "error").isEmpty }
            let error = try #require(agent.frames(type: "error").first)
            #expect(error["code"] as? String == "not_found" && error["topic"] as? String == "negotiation:nope")
            await agent.close()
        }
    }

    @Test("prices discussed with a known listing open the opportunity's session; its topic replays gap-free and goes live")
    func opensOnPrices() async throws {
        try await Harness.run { h in
            try await seedWithOpportunity(h)
            let agent = try await h.subscribed("agent-1", .agent, to: "conversation:conv-1")
            try await sms(h, "Would the sellers take 415,000? It's above our budget otherwise.", id: "m-offer-1")
            try await agent.waitUntil { kinds($0, "conversation:conv-1").contains("negotiation.opened") && kinds($0, "conversation:conv-1").contains("negotiation.updated") }
            let link = try #require(agent.events(topic: "conversation:conv-1").first { $0["kind"] as? String == "negotiation.opened" }?["data"] as? [String: Any])
            #expect(link["negotiationId"] as? String == "opp-1" && link["openedBy"] as? String == "prices")

            try await agent.send(#"{"op":"subscribe","topic":"negotiation:opp-1","since":0}"#)
            try await agent.waitUntil { kinds($0, "negotiation:opp-1").contains("negotiation.updated") }
            let replay = agent.events(topic: "negotiation:opp-1")
            #expect(replay.compactMap { $0["seq"] as? Int } == Array(1...replay.count))
            #expect(replay.first?["negotiationId"] as? String == "opp-1")
            #expect(kinds(agent, "negotiation:opp-1").prefix(3) == ["negotiation.opened", "negotiation.offer", "negotiation.updated"])
            let offer = try #require(replay[1]["data"] as? [String: Any])
            let o = try #require(offer["offer"] as? [String: Any])
            #expect(o["party"] as? String == "buyer" && o["amount"] as? Double == 415_000 && o["source"] as? String == "text" && o["conversationId"] as? String == "conv-1")

            // Live: the agent's counter (an outbound SMS by a person) is a seller offer; advice says what changed.
            let counter = try GHLFixture.body(
                "inbound-sms", ["type": "OutboundMessage", "direction": "outbound", "webhookId": "wh-out-1", "messageId": "m-out-1", "userId": "agent-1", "body": "The sellers can do 426,000."])
            #expect(try await h.post(counter).status == .ok)
            try await agent.waitUntil { p in p.events(topic: "negotiation:opp-1").contains { ($0["data"] as? [String: Any]).flatMap { $0["offer"] as? [String: Any] }?["party"] as? String == "seller" } }
            try await agent.waitUntil { $0.events(topic: "negotiation:opp-1").filter { $0["kind"] as? String == "negotiation.updated" }.count >= 2 }
            let update = try #require(agent.events(topic: "negotiation:opp-1").last { $0["kind"] as? String == "negotiation.updated" }?["data"] as? [String: Any])
            let changes = try #require(update["changes"] as? [String])
            #expect(changes.contains { $0.contains("Seller offered $426,000") }, "\(changes)")
            let advice = try #require(update["advice"] as? [String: Any])
            #expect(advice["predictedSettlement"] is Double && advice["dealProbability"] is Double && advice["settlementInterval"] is [String: Any])
            let all = agent.events(topic: "negotiation:opp-1").compactMap { $0["seq"] as? Int }
            #expect(all == Array(1...all.count))
            let stored = try await h.server.storage.conversations.events(conversationId: "negotiation:opp-1", after: 0, limit: 1_000)
            #expect(stored.map(\.seq) == Array(1...UInt64(stored.count)) && stored.count == all.count)
            await agent.close()
        }
    }

    @Test("negotiation.open keys a session by the conversation; a second conversation joins; offers keep their party and source; close is final")
    func openJoinClose() async throws {
        try await Harness.run { h in
            try await h.seedConversation()
            try await sms(h, "Hi, I'm the buyer's agent for the Elm St place.", id: "m-c2-1", conversation: "conv-2", contact: "contact-2")
            let sup = try await h.connect("sup-1", .supervisor)
            try await sup.send(#"{"op":"negotiation.open","conversationId":"conv-1"}"#)
            try await sup.waitUntil { !$0.frames(type: "error").isEmpty }
            #expect(sup.frames(type: "error").first?["code"] as? String == "no_listing_price")
            try await sup.send(#"{"op":"negotiation.open","conversationId":"conv-1","listingPrice":250000,"side":"seller"}"#)
            try await sup.send(#"{"op":"subscribe","topic":"negotiation:conv-1","since":0}"#)
            try await sup.waitUntil { kinds($0, "negotiation:conv-1").contains("negotiation.opened") }
            try await sup.send(#"{"op":"negotiation.open","conversationId":"conv-2","negotiationId":"conv-1"}"#)
            try await sup.waitUntil { p in p.events(topic: "negotiation:conv-1").contains { (($0["data"] as? [String: Any])?["conversationIds"] as? [String]) == ["conv-1", "conv-2"] } }
            try await sms(h, "My buyers would offer 232,000 for Elm St.", id: "m-c2-2", conversation: "conv-2", contact: "contact-2")
            try await sup.send(#"{"op":"offer.log","conversationId":"conv-1","party":"seller","amount":245000}"#)
            try await sup.waitUntil { $0.events(topic: "negotiation:conv-1").filter { $0["kind"] as? String == "negotiation.offer" }.count == 2 }
            let offers = sup.events(topic: "negotiation:conv-1").filter { $0["kind"] as? String == "negotiation.offer" }.compactMap { (($0["data"] as? [String: Any])?["offer"] as? [String: Any]) }
            #expect(offers.map { $0["source"] as? String } == ["text", "logged"])
            #expect(offers.map { $0["conversationId"] as? String } == ["conv-2", "conv-1"])
            #expect(offers.last?["by"] as? String == "sup-1" && offers.first?["party"] as? String == "buyer")
            // Both conversations' watchers see the session's advice in their own streams.
            for conversation in ["conv-1", "conv-2"] {
                _ = try await h.waitForEvents(conversation) { $0.contains { $0.kind == .negotiationUpdated } }
            }
            try await sup.send(#"{"op":"negotiation.close","negotiationId":"conv-1","status":"won","finalPrice":240000}"#)
            try await sup.waitUntil { kinds($0, "negotiation:conv-1").contains("negotiation.closed") }
            let closed = try #require(sup.events(topic: "negotiation:conv-1").last?["data"] as? [String: Any])
            #expect(closed["status"] as? String == "won" && closed["finalPrice"] as? Double == 240_000 && closed["offers"] as? Int == 2)
            try await sup.send(#"{"op":"offer.log","conversationId":"conv-1","party":"buyer","amount":239000}"#)
            try await sup.send(#"{"op":"negotiation.close","conversationId":"conv-1","status":"open"}"#)
            try await sup.waitUntil { $0.frames(type: "error").count == 3 }
            #expect(sup.frames(type: "error").dropFirst().map { $0["code"] as? String } == ["negotiation_closed", "invalid_field"])
            await sup.close()
        }
    }

    @Test("GHL's won status closes the session with its value as the final price; another opportunity's changes do not; the next deal opens its own")
    func ghlCloses() async throws {
        try await Harness.run { h in
            try await seedWithOpportunity(h)
            try await sms(h, "We can offer 410,000 cash.", id: "m-offer-2")
            _ = try await h.waitForEvents("negotiation:opp-1") { $0.contains { $0.kind == .negotiationUpdated } }
            // Another opportunity of the same contact is another deal: its loss closes nothing here.
            let other = try GHLFixture.body("opportunity-status-update", ["webhookId": "wh-opp-2-lost", "id": "opp-2", "status": "lost", "monetaryValue": 99000])
            #expect(try await h.post(other).status == .ok)
            try await sms(h, "Still keen at 410,000.", id: "m-offer-3")
            let open = try await h.waitForEvents("negotiation:opp-1") { $0.filter { $0.kind == .negotiationOffer }.count >= 2 }
            #expect(!open.contains { $0.kind == .negotiationClosed })
            let won = try GHLFixture.body("opportunity-status-update", ["webhookId": "wh-opp-won", "status": "won", "monetaryValue": 421000])
            #expect(try await h.post(won).status == .ok)
            let events = try await h.waitForEvents("negotiation:opp-1") { $0.contains { $0.kind == .negotiationClosed } }
            let closed = try #require(events.last).decode(NegotiationClosedPayload.self)
            #expect(closed.status == .won && closed.finalPrice == 421_000 && closed.by == "ghl")
            // The conversation stops feeding the closed deal; the contact's next deal gets its own session.
            for _ in 0..<400 where try await h.server.storage.conversations.state(conversationId: "conv-1")?.negotiationId != nil { try await Task.sleep(for: .milliseconds(25)) }
            #expect(try await h.server.storage.conversations.state(conversationId: "conv-1")?.negotiationId == nil)
            let next = try GHLFixture.body("opportunity-status-update", ["webhookId": "wh-opp-3", "id": "opp-3", "status": "open", "monetaryValue": 510000, "name": "9 Pine Ct"])
            #expect(try await h.post(next).status == .ok)
            try await sms(h, "For Pine Ct, would they take 480,000?", id: "m-offer-4")
            let fresh = try await h.waitForEvents("negotiation:opp-3") { $0.contains { $0.kind == .negotiationOffer } }
            let opened = try #require(fresh.first).decode(NegotiationOpenedPayload.self)
            #expect(opened.listingPrice == 510_000 && opened.opportunityId == "opp-3")
        }
    }

    @Test("a session survives a restart: replay is the same, new offers continue its seq and its history")
    func rehydrates() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-neg-\(UUID().uuidString)")
        let before = try await Harness.run(dataDirectory: dir) { h in
            try await seedWithOpportunity(h)
            try await sms(h, "Would they take 400,000?", id: "m-r1")
            return try await h.waitForEvents("negotiation:opp-1") { $0.contains { $0.kind == .negotiationUpdated } }
        }
        try await Harness.run(dataDirectory: dir) { h in
            let agent = try await h.subscribed("agent-1", .agent, to: "negotiation:opp-1")
            #expect(agent.frames(type: "subscribed").first?["head"] as? Int == before.count)
            try await sms(h, "OK, 412,000 is our best.", id: "m-r2")
            try await agent.waitUntil { kinds($0, "negotiation:opp-1").contains("negotiation.offer") }
            let offer = try #require(agent.events(topic: "negotiation:opp-1").first { $0["kind"] as? String == "negotiation.offer" })
            #expect(offer["seq"] as? Int == before.count + 1)
            #expect((offer["data"] as? [String: Any])?["count"] as? Int == 2)
            await agent.close()
        }
    }

    @Test("who may read a session: agents of its conversations and the location's supervisors; bad ops get their own codes")
    func access() async throws {
        try await Harness.run { h in
            try await seedWithOpportunity(h)
            try await sms(h, "Would they take 415,000?", id: "m-a1")
            _ = try await h.waitForEvents("negotiation:opp-1") { !$0.isEmpty }
            let other = try await h.connect("agent-2", .agent)
            try await other.send(#"{"op":"subscribe","topic":"negotiation:opp-1"}"#)
            let elsewhere = try await h.connect("sup-9", .supervisor, ["loc-9"])
            try await elsewhere.send(#"{"op":"subscribe","topic":"negotiation:opp-1"}"#)
            try await other.send(#"{"op":"subscribe","topic":"negotiation:nope"}"#)
            try await other.send(#"{"op":"negotiation.open","conversationId":"conv-1","side":"landlord"}"#)
            try await other.send(#"{"op":"negotiation.open","conversationId":"conv-1","listingPrice":-5}"#)
            try await other.send(#"{"op":"negotiation.close","status":"won"}"#)
            try await other.waitUntil { $0.frames(type: "error").count == 5 }
            #expect(other.frames(type: "error").map { $0["code"] as? String } == ["forbidden", "not_found", "invalid_field", "invalid_field", "missing_field"])
            try await elsewhere.waitUntil { !$0.frames(type: "error").isEmpty }
            #expect(elsewhere.frames(type: "error").first?["code"] as? String == "forbidden")
            // Joining a deal needs the right to read it, not only a conversation to join with.
            try await sms(h, "Hello, is anyone there?", id: "m-a2", conversation: "conv-2", contact: "contact-2")
            let joiner = try await h.connect("agent-2", .agent)
            try await joiner.send(#"{"op":"negotiation.open","conversationId":"conv-2","negotiationId":"opp-1"}"#)
            try await joiner.waitUntil { !$0.frames(type: "error").isEmpty }
            #expect(joiner.frames(type: "error").first?["code"] as? String == "forbidden")
            await joiner.close()
            let sup = try await h.subscribed("sup-1", .supervisor, to: "negotiation:opp-1")
            #expect(sup.frames(type: "subscribed").first?["head"] as? Int ?? 0 >= 3)
            for p in [other, elsewhere, sup] { await p.close() }
        }
    }

    @Test("an agent whose conversation is reassigned loses the deal's topic too")
    func reassignedLosesSession() async throws {
        try await Harness.run { h in
            try await seedWithOpportunity(h)
            try await sms(h, "Would they take 415,000?", id: "m-re1")
            _ = try await h.waitForEvents("negotiation:opp-1") { !$0.isEmpty }
            let agent = try await h.subscribed("agent-1", .agent, to: "negotiation:opp-1")
            let moved = try GHLFixture.body("contact-create-envelope", ["webhookId": "wh-reassign"])
            var json = try #require(try JSONSerialization.jsonObject(with: Data(moved)) as? [String: Any])
            if var data = json["data"] as? [String: Any] { data["assignedTo"] = "agent-2"; json["data"] = data } else { json["assignedTo"] = "agent-2" }
            #expect(try await h.post(Array(try JSONSerialization.data(withJSONObject: json))).status == .ok)
            try await agent.waitUntil { !$0.frames(type: "error").isEmpty }
            #expect(agent.frames(type: "error").first?["code"] as? String == "forbidden")
            #expect(h.server.hub.subscriberCount("negotiation:opp-1") == 0)
            await agent.close()
        }
    }
}

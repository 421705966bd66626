import Actors
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import LiveHub

extension Harness {
    func token(_ user: String, _ role: AccessToken.Role, _ locations: [String] = ["loc-1"], lifetime: Double = 3600) async throws -> String {
        try await server.tokens.sign(AccessToken.make(user: user, role: role, locations: locations, lifetime: lifetime))
    }

    func connect(_ user: String, _ role: AccessToken.Role, _ locations: [String] = ["loc-1"]) async throws -> WSProbe {
        try await WSProbe.connect(port: port, token: try await token(user, role, locations))
    }

    /// Connects and subscribes to `topic`, returning once the server confirmed the subscription.
    func subscribed(_ user: String, _ role: AccessToken.Role, to topic: String, _ locations: [String] = ["loc-1"]) async throws -> WSProbe {
        let probe = try await connect(user, role, locations)
        try await probe.send(#"{"op":"subscribe","topic":"\#(topic)"}"#)
        try await probe.waitUntil { !$0.frames(type: "subscribed").isEmpty }
        return probe
    }
}

@Suite("WebSocket gateway: GET /v1/ws")
struct GatewayTests {
    @Test("no, invalid or expired token → 401 before any upgrade; header and query tokens both work")
    func auth() async throws {
        try await Harness.run { h in
            #expect(try await h.client.execute(uri: "/v1/ws", method: .get).status == .unauthorized)
            #expect(try await h.client.execute(uri: "/v1/ws?access_token=garbage", method: .get).status == .unauthorized)
            let expired = try await h.token("a1", .agent, lifetime: -10)
            #expect(try await h.client.execute(uri: "/v1/ws?access_token=\(expired)", method: .get).status == .unauthorized)
            let other = try await TokenAuthority(keys: .init().add(hmac: .init(from: String(repeating: "x", count: 40)), digestAlgorithm: .sha256), canSign: true, ticketKeys: .init())
                .sign(AccessToken.make(user: "a1", role: .agent, locations: ["loc-1"], lifetime: 3600))
            #expect(try await h.client.execute(uri: "/v1/ws?access_token=\(other)", method: .get).status == .unauthorized)
            await #expect(throws: (any Error).self) { try await WSProbe.connect(port: h.port, token: "garbage") }
            let viaHeader = try await WSProbe.connect(port: h.port, token: try await h.token("a1", .agent), viaQuery: false)
            #expect(viaHeader.frames(type: "hello").first?["user"] as? String == "a1")
            await viaHeader.close()
        }
    }

    @Test("an agent receives the coaching events of a webhook in seq order; a supervisor gets conversation.summary")
    func liveEvents() async throws {
        try await Harness.run { h in
            // The conversation must exist before it can be subscribed to.
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)
            let head = try await h.events("conv-1").count
            let agent = try await h.connect("agent-1", .agent)
            let supervisor = try await h.connect("sup-1", .supervisor)
            try await agent.send(#"{"op":"subscribe","topic":"conversation:conv-1"}"#)
            try await supervisor.send(#"{"op":"subscribe","topic":"location:loc-1"}"#)
            try await agent.waitUntil { !$0.frames(type: "subscribed").isEmpty }
            try await supervisor.waitUntil { !$0.frames(type: "subscribed").isEmpty }
            #expect(agent.frames(type: "subscribed").first?["head"] as? Int == head)

            let next = try GHLFixture.body("inbound-sms", ["webhookId": "wh-2", "messageId": "msg-2", "body": "Could you call me? The price seems too high"])
            #expect(try await h.post(next).status == .ok)
            let total = try await h.events("conv-1").count
            try await agent.waitUntil { $0.seqs(topic: "conversation:conv-1").count == total - head }
            let seqs = agent.seqs(topic: "conversation:conv-1")
            #expect(seqs == Array((head + 1)...total))
            let kinds = agent.events(topic: "conversation:conv-1").compactMap { $0["kind"] as? String }
            #expect(Array(kinds.prefix(3)) == ["message.inbound", "analysis", "lead.scored"])
            #expect(kinds.contains("coaching.card") && kinds.contains("reply.suggested"))
            try await supervisor.waitUntil { $0.events(topic: "location:loc-1").contains { $0["kind"] as? String == "conversation.summary" && (($0["data"] as? [String: Any])?["head"] as? Int) == total } }
            let summary = try #require(supervisor.events(topic: "location:loc-1").last { $0["kind"] as? String == "conversation.summary" }?["data"] as? [String: Any])
            #expect(summary["lastMessagePreview"] as? String == "Could you call me? The price seems too high")
            #expect(summary["state"] as? String == "waiting" && summary["tier"] != nil)
            await agent.close()
            await supervisor.close()
        }
    }

    @Test("resume: since N replays N+1…head then continues live, without gap or duplicate while events keep arriving")
    func resumeRace() async throws {
        try await Harness.run { h in
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)
            let agent = try await h.connect("agent-1", .agent)
            // Webhooks keep arriving while the replay runs.
            let writer = Task {
                for i in 0..<25 {
                    let b = try GHLFixture.body("inbound-sms", ["webhookId": "wh-r-\(i)", "messageId": "msg-r-\(i)", "body": "update \(i): is it still available?"])
                    _ = try await h.post(b)
                }
            }
            try await agent.send(#"{"op":"subscribe","topic":"conversation:conv-1","since":2}"#)
            try await writer.value
            let total = try await h.events("conv-1").count
            try await agent.waitUntil(timeout: .seconds(20), "all events") { ($0.seqs(topic: "conversation:conv-1").last ?? 0) >= total }
            #expect(agent.seqs(topic: "conversation:conv-1") == Array(3...total))
            let subscribed = try #require(agent.frames(type: "subscribed").first)
            #expect((subscribed["replayed"] as? Int ?? -1) >= 0)
            await agent.close()
        }
    }

    @Test("authorization matrix across roles, locations and assignment")
    func authorization() async throws {
        try await Harness.run { h in
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)  // conv-1 unassigned, loc-1
            let assigned = try GHLFixture.body("inbound-sms", ["webhookId": "wh-a", "messageId": "msg-a", "conversationId": "conv-2", "contactId": "contact-2"])
            #expect(try await h.post(assigned).status == .ok)
            let profile = try GHLFixture.body("contact-create-envelope", ["webhookId": "wh-c2", "data": ["id": "contact-2", "locationId": "loc-1", "firstName": "Ana", "assignedTo": "agent-2"]])
            #expect(try await h.post(profile).status == .ok)  // conv-2 now assigned to agent-2

            func attempt(_ user: String, _ role: AccessToken.Role, _ locations: [String], _ topic: String) async throws -> String {
                let p = try await h.connect(user, role, locations)
                try await p.send(#"{"op":"subscribe","topic":"\#(topic)"}"#)
                try await p.waitUntil { !$0.frames(type: "subscribed").isEmpty || !$0.frames(type: "error").isEmpty }
                await p.close()
                return p.frames(type: "error").first?["code"] as? String ?? "ok"
            }
            #expect(try await attempt("agent-1", .agent, ["loc-1"], "conversation:conv-1") == "ok")  // unassigned
            #expect(try await attempt("agent-1", .agent, ["loc-1"], "conversation:conv-2") == "forbidden")  // someone else's
            #expect(try await attempt("agent-2", .agent, ["loc-1"], "conversation:conv-2") == "ok")  // own
            #expect(try await attempt("agent-9", .agent, ["loc-9"], "conversation:conv-1") == "forbidden")  // other location
            #expect(try await attempt("sup-1", .supervisor, ["loc-1"], "conversation:conv-2") == "ok")
            #expect(try await attempt("sup-9", .supervisor, ["loc-9"], "conversation:conv-1") == "forbidden")
            #expect(try await attempt("admin", .admin, ["*"], "location:loc-1") == "ok")
            #expect(try await attempt("agent-1", .agent, ["loc-1"], "location:loc-1") == "ok")  // filtered to what the agent may read
            #expect(try await attempt("agent-1", .agent, ["loc-1"], "location:loc-2") == "forbidden")
            #expect(try await attempt("sup-1", .supervisor, ["loc-1"], "location:loc-2") == "forbidden")
            #expect(try await attempt("agent-1", .agent, ["loc-1"], "agent:agent-1") == "ok")
            #expect(try await attempt("agent-1", .agent, ["loc-1"], "agent:agent-2") == "forbidden")
            #expect(try await attempt("sup-1", .supervisor, ["loc-1"], "conversation:nope") == "not_found")
            #expect(try await attempt("sup-1", .supervisor, ["loc-1"], "weather:today") == "invalid_topic")
        }
    }

    @Test("bad frames get an error frame naming the problem and the connection stays; >100 errors a minute closes 1008")
    func badFrames() async throws {
        try await Harness.run { h in
            let p = try await h.connect("agent-1", .agent)
            try await p.send("not json")
            try await p.send(#"{"op":"dance"}"#)
            try await p.send(#"{"op":"subscribe"}"#)
            try await p.send(#"{"topic":"x"}"#)
            try await p.send(#"{"op":"mode.set","conversationId":"c","mode":"turbo"}"#)
            try await p.sendBinary([1, 2, 3])
            try await p.send(#"{"op":"ping","pad":""# + String(repeating: "x", count: 70_000) + #""}"#)
            try await p.send(#"{"op":"ping"}"#)
            try await p.waitUntil { !$0.frames(type: "pong").isEmpty }
            let codes = p.frames(type: "error").compactMap { $0["code"] as? String }
            #expect(codes == ["invalid_json", "unknown_op", "missing_field", "missing_field", "invalid_field", "binary_not_supported", "frame_too_large"])
            #expect(p.frames(type: "error")[2]["message"] as? String == "topic" && p.frames(type: "error")[2]["op"] as? String == "subscribe")
            for _ in 0..<100 { try? await p.send("x") }
            try await p.waitUntil { $0.closeFrame != nil }
            #expect(p.closeFrame??.closeCode == .policyViolation)
        }
    }

    @Test("supervisor ops: whisper reaches the agent's topic, takeover and mode changes are events; agents may not whisper")
    func ops() async throws {
        try await Harness.run { h in
            #expect(try await h.post(try GHLFixture.body("contact-create-envelope")).status == .ok)
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)  // conv-1 assigned to agent-1
            let agent = try await h.connect("agent-1", .agent)
            try await agent.send(#"{"op":"subscribe","topic":"agent:agent-1"}"#)
            try await agent.send(#"{"op":"subscribe","topic":"conversation:conv-1"}"#)
            try await agent.waitUntil { $0.frames(type: "subscribed").count == 2 }
            let sup = try await h.connect("sup-1", .supervisor)
            try await sup.send(#"{"op":"whisper","conversationId":"conv-1","text":"Offer Saturday 10am"}"#)
            try await agent.waitUntil { $0.events(topic: "agent:agent-1").contains { $0["kind"] as? String == "whisper" } }
            try await sup.send(#"{"op":"mode.set","conversationId":"conv-1","mode":"off"}"#)
            try await sup.send(#"{"op":"takeover","conversationId":"conv-1"}"#)
            try await agent.waitUntil { p in
                let kinds = p.events(topic: "conversation:conv-1").compactMap { $0["kind"] as? String }
                return kinds.contains("mode.changed") && kinds.contains("assignment.changed")
            }
            try await agent.send(#"{"op":"whisper","conversationId":"conv-1","text":"hi"}"#)
            try await agent.waitUntil { !$0.frames(type: "error").isEmpty }
            #expect(agent.frames(type: "error").first?["code"] as? String == "forbidden")
            // The opportunity gives the price reference; an offer heard on a call feeds the coach.
            #expect(try await h.post(try GHLFixture.body("opportunity-status-update")).status == .ok)
            try await agent.send(#"{"op":"offer.log","conversationId":"conv-1","party":"buyer","amount":415000}"#)
            try await agent.waitUntil { $0.events(topic: "conversation:conv-1").contains { $0["kind"] as? String == "negotiation.updated" } }
            let update = try #require(agent.events(topic: "conversation:conv-1").last { $0["kind"] as? String == "negotiation.updated" }?["data"] as? [String: Any])
            #expect(update["negotiationId"] as? String == "opp-1")
            let advice = try #require(update["advice"] as? [String: Any])
            #expect(advice["recommendedCounter"] != nil || advice["action"] as? String == "accept")
            #expect(agent.frames(type: "error").count == 1)
            await agent.close()
            await sup.close()
        }
    }

    @Test("SLA alert reaches the supervisors on the test clock")
    func slaAlert() async throws {
        let clock = ManualClock()
        try await Harness.run(timers: clock) { h in
            let sup = try await h.subscribed("sup-1", .supervisor, to: "location:loc-1")
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)
            try await sup.waitUntil { _ in clock.sleeperCount > 0 }
            clock.advance(by: .seconds(120))
            try await sup.waitUntil { p in
                p.events(topic: "location:loc-1").contains { ($0["kind"] as? String) == "alert" && (($0["data"] as? [String: Any])?["reason"] as? String) == "sla_breach" }
            }
            await sup.close()
        }
    }
}

@Suite("Slow consumers")
struct SlowConsumerTests {
    final class Sink: TopicSubscriber {
        func deliver(_ frames: [ServerFrame]) {}
    }

    @Test("a connection whose socket never drains keeps a bounded queue and gets a resync for the topic")
    func bounded() async throws {
        let hub = EventHub()
        let c = Connection(token: AccessToken.make(user: "a", role: .agent, locations: ["L"], lifetime: 60), hub: hub, queueLimit: 64)
        c.beginReplay("conversation:c1")
        c.finishReplay("conversation:c1", subscribed: WebSocketGateway.subscribed("conversation:c1", head: 0, replayed: 0), replayed: [], lastSeq: 0)
        var state = ConversationState(conversationId: "c1", locationId: "L", contactId: nil)
        for seq in 1...10_000 {
            state.head = UInt64(seq)
            let e = ConversationEvent(conversationId: "c1", seq: UInt64(seq), at: 0, kind: .analysis, data: Data(#"{"x":1}"#.utf8))
            hub.publish(ConversationCommit(events: [e], state: state, stateJSON: Data("{}".utf8), summary: state.summary(mode: .suggest), receipt: nil))
        }
        #expect(c.queue.count <= c.queue.limit + c.queue.controlMargin)
        #expect(hub.subscriberCount("conversation:c1") == 0)  // dropped until the client resubscribes
        let frames = try #require(c.queue.takeOrStop())
        #expect(frames.contains { $0.text.contains("\"resync\"") && $0.text.contains("conversation:c1") })
        #expect(!frames.contains { $0.topic == "conversation:c1" })
    }
}

@Suite("Resume with since")
struct ReplayBufferTests {
    @Test("a replay longer than the connection can queue is refused with resync history_too_long, before any subscribed; a short one works")
    func tooLong() async throws {
        // A queue of 16 frames replays at most 8 events.
        try await Harness.run(configure: { $0.outboundQueueLimit = 16 }) { h in
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)
            #expect(try await h.post(try GHLFixture.body("inbound-sms", ["webhookId": "wh-2", "messageId": "msg-2"])).status == .ok)
            let head = try await h.events("conv-1").count
            #expect(head > 8)
            let probe = try await h.connect("sup-1", .supervisor)
            try await probe.send(#"{"op":"subscribe","topic":"conversation:conv-1","since":0}"#)
            try await probe.waitUntil { !$0.frames(type: "resync").isEmpty }
            #expect(probe.frames(type: "resync").first?["reason"] as? String == "history_too_long")
            #expect(probe.frames(type: "subscribed").isEmpty && probe.events(topic: "conversation:conv-1").isEmpty)
            try await probe.send(#"{"op":"subscribe","topic":"conversation:conv-1","since":\#(head - 3)}"#)
            try await probe.waitUntil { !$0.frames(type: "subscribed").isEmpty }
            try await probe.waitUntil { $0.seqs(topic: "conversation:conv-1") == Array((head - 2)...head) }
            await probe.close()
        }
    }

    static func frame(_ seq: Int, topic: String = "conversation:c1") -> ServerFrame {
        ServerFrame.event(topic: topic, ConversationEvent(conversationId: "c1", seq: UInt64(seq), at: 0, kind: .analysis, data: Data(#"{"x":1}"#.utf8)))
    }

    @Test("live frames that arrive during a long replay are held in order and queued after it, without overlap")
    func heldInOrder() async throws {
        let hub = EventHub()
        let c = Connection(token: AccessToken.make(user: "a", role: .agent, locations: ["L"], lifetime: 60), hub: hub, queueLimit: 50_000)
        c.beginReplay("conversation:c1")
        for seq in 3...20_000 { c.deliver([Self.frame(seq)]) }
        #expect(c.finishReplay("conversation:c1", subscribed: WebSocketGateway.subscribed("conversation:c1", head: 5, replayed: 5), replayed: (1...5).map { Self.frame($0) }, lastSeq: 5))
        let queued = try #require(c.queue.takeOrStop()).compactMap(\.seq)
        #expect(queued == Array(1...20_000).map(UInt64.init))
    }

    @Test("a location topic carries alerts of many conversations: a lower seq from another conversation is not taken for a duplicate")
    func locationTopicInterleaves() async throws {
        let hub = EventHub()
        let c = Connection(token: AccessToken.make(user: "s", role: .supervisor, locations: ["L"], lifetime: 60), hub: hub, queueLimit: 64)
        c.beginReplay("location:L")
        c.finishReplay("location:L", subscribed: WebSocketGateway.subscribed("location:L", head: 0, replayed: 0), replayed: [], lastSeq: nil)
        _ = c.queue.takeOrStop()
        func alert(_ conversation: String, _ seq: UInt64) -> ServerFrame {
            .event(topic: "location:L", ConversationEvent(conversationId: conversation, seq: seq, at: 0, kind: .alert, data: Data(#"{"reason":"sla_breach"}"#.utf8)))
        }
        c.deliver([alert("busy", 40)])
        c.deliver([alert("quiet", 3)])
        let queued = try #require(c.queue.takeOrStop())
        #expect(queued.count == 2)
        #expect(queued.last?.text.contains(#""conversationId":"quiet""#) == true)
    }

    @Test("a subscription that an op finishes after its connection closed leaves nothing behind in the hub")
    func subscribeAfterClose() async throws {
        let hub = EventHub()
        let c = Connection(token: AccessToken.make(user: "a", role: .agent, locations: ["L"], lifetime: 60), hub: hub, queueLimit: 16)
        c.closeAll()
        #expect(!c.beginReplay("conversation:c1"))
        #expect(hub.subscriberCount("conversation:c1") == 0)
        #expect(!c.finishReplay("conversation:c1", subscribed: WebSocketGateway.subscribed("conversation:c1", head: 0, replayed: 0), replayed: [], lastSeq: 0))
        #expect(hub.subscriberCount("conversation:c1") == 0)
    }

    @Test("what waits behind a replay is bounded like the queue: past it the topic is resynced")
    func heldBounded() async throws {
        let hub = EventHub()
        let c = Connection(token: AccessToken.make(user: "a", role: .agent, locations: ["L"], lifetime: 60), hub: hub, queueLimit: 16)
        c.beginReplay("conversation:c1")
        #expect(hub.subscriberCount("conversation:c1") == 1)
        for seq in 1...100 { c.deliver([Self.frame(seq)]) }
        #expect(hub.subscriberCount("conversation:c1") == 0)
        #expect(!c.isSubscribed("conversation:c1"))
        #expect(!c.finishReplay("conversation:c1", subscribed: WebSocketGateway.subscribed("conversation:c1", head: 0, replayed: 0), replayed: [], lastSeq: 0))
        let queued = try #require(c.queue.takeOrStop())
        #expect(queued.map(\.text).contains { $0.contains(#""type":"resync""#) })
        #expect(!queued.contains { $0.seq != nil })
    }
}

@Suite("Slow consumers over a real socket")
struct RealSlowConsumerTests {
    @Test("a client that never reads: fan-out never waits, its topic is resynced, server memory stays bounded")
    func neverReads() async throws {
        try await Harness.run(configure: { $0.outboundQueueLimit = 16 }) { h in
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)
            let token = try await h.token("sup-1", .supervisor)
            let socket = try await NonReadingSocket.open(port: h.port, path: "/v1/ws?access_token=\(token)")
            socket.sendText(#"{"op":"subscribe","topic":"conversation:conv-1"}"#)
            let topic = "conversation:conv-1"
            let deadline = ContinuousClock.now + .seconds(10)
            while h.server.hub.subscriberCount(topic) == 0 {
                #expect(ContinuousClock.now < deadline)
                try await Task.sleep(for: .milliseconds(5))
            }
            // 64 KB events: the kernel buffers fill after a few dozen, then the queue fills.
            let big = Data(("{\"pad\":\"" + String(repeating: "x", count: 64_000) + "\"}").utf8)
            var state = ConversationState(conversationId: "conv-1", locationId: "loc-1", contactId: nil)
            var slowest = Duration.zero
            for seq in 1_000..<3_000 {
                state.head = UInt64(seq)
                let e = ConversationEvent(conversationId: "conv-1", seq: UInt64(seq), at: 0, kind: .analysis, data: big)
                let start = ContinuousClock.now
                h.server.hub.publish(ConversationCommit(events: [e], state: state, stateJSON: Data("{}".utf8), summary: state.summary(mode: .suggest), receipt: nil))
                slowest = max(slowest, ContinuousClock.now - start)
                if h.server.hub.subscriberCount(topic) == 0 { break }
            }
            // The overflow dropped the topic: the server holds at most the queue's bound for it.
            #expect(h.server.hub.subscriberCount(topic) == 0)
            #expect(h.server.counters.connections == 1)
            #expect(slowest < .seconds(1), "a publish waited \(slowest) for a socket")
            let metrics = String(buffer: try await h.client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("livehub_queue_overflows_total 1"))
        }
    }
}

@Suite("Access revocation")
struct RevocationTests {
    @Test("an agent subscribed to an unassigned conversation loses it when GHL assigns it to someone else")
    func reassigned() async throws {
        try await Harness.run { h in
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)  // conv-1, unassigned
            let agent = try await h.subscribed("agent-7", .agent, to: "conversation:conv-1")
            #expect(try await h.post(try GHLFixture.body("contact-create-envelope")).status == .ok)  // assigned to agent-1
            try await agent.waitUntil { !$0.frames(type: "error").isEmpty }
            #expect(agent.frames(type: "error").first?["code"] as? String == "forbidden")
            let before = agent.events(topic: "conversation:conv-1").count
            #expect(try await h.post(try GHLFixture.body("inbound-sms", ["webhookId": "wh-later", "messageId": "msg-later"])).status == .ok)
            // Published before the webhook was answered, and not to the revoked agent.
            #expect(agent.events(topic: "conversation:conv-1").count == before)
            #expect(h.server.hub.subscriberCount("conversation:conv-1") == 0)
            await agent.close()
        }
    }
}

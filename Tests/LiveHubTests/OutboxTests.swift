import Actors
import Coaching
import Crypto
import Foundation
import Testing

@testable import LiveHub

extension Harness {
    /// A conversation with a known contact, assigned to agent-1, ready for replies.
    func seedConversation() async throws {
        #expect(try await post(try GHLFixture.body("contact-create-envelope")).status == .ok)
        #expect(try await post(try GHLFixture.body("inbound-sms")).status == .ok)
    }

    func outboundEvents(_ probe: WSProbe) -> [[String: Any]] {
        probe.events(topic: "conversation:conv-1").filter { $0["kind"] as? String == "message.outbound" }.compactMap { $0["data"] as? [String: Any] }
    }
}

/// Server settings that point at a fake GHL with a token for loc-1.
func ghlConfiguration(_ base: String, timeout: Duration = .milliseconds(300)) throws -> @Sendable (inout ServerConfiguration) -> Void {
    let file = try tokensFile(["loc-1": "pit-loc-1"])
    return { c in
        c.ghlAPIBaseURL = base
        c.ghlTokensFile = file
        c.ghlRequestTimeout = timeout
    }
}

func tokensFile(_ map: [String: String]) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ghl-tokens-\(UUID().uuidString).json")
    try JSONEncoder().encode(map).write(to: url)
    return url.path
}

@Suite("Outbox: agent replies through GHL")
struct OutboxTests {
    @Test("reply.send: queued then sent with GHL's messageId, one request to GHL, visible to agent and supervisor")
    func send() async throws {
        let fake = FakeGHL()
        try await fake.run { base in
            try await Harness.run(configure: try ghlConfiguration(base)) { h in
                try await h.seedConversation()
                let agent = try await h.connect("agent-1", .agent)
                let sup = try await h.connect("sup-1", .supervisor)
                for p in [agent, sup] { try await p.send(#"{"op":"subscribe","topic":"conversation:conv-1"}"#) }
                try await agent.waitUntil { !$0.frames(type: "subscribed").isEmpty }
                try await sup.waitUntil { !$0.frames(type: "subscribed").isEmpty }
                try await agent.send(#"{"op":"reply.send","conversationId":"conv-1","text":"  Saturday at 10 works, see you there!  ","suggestionId":"showing-offer-times#1"}"#)
                try await sup.waitUntil { h.outboundEvents($0).contains { $0["delivery"] as? String == "sent" } }
                let states = h.outboundEvents(sup).compactMap { $0["delivery"] as? String }
                #expect(states == ["queued", "sent"])
                let sent = try #require(h.outboundEvents(sup).last)
                #expect(sent["messageId"] as? String == "ghl-msg-1" && sent["text"] as? String == "Saturday at 10 works, see you there!")
                let outboxId = try #require(sent["outboxId"] as? String)
                #expect(try await h.server.storage.outbox.entry(outboxId)?.state == .sent)
                let metrics = String(buffer: try await h.client.execute(uri: "/metrics", method: .get).body)
                #expect(metrics.contains(#"livehub_ghl_sends_total{outcome="sent"} 1"#))
                #expect(metrics.contains(#"livehub_outbox_entries_count{state="queued"} 0"#))
                #expect(metrics.contains("livehub_ghl_send_seconds_count 1"))
                await agent.close()
                await sup.close()
            }
        }
        #expect(fake.received.count == 1)
        #expect(fake.received.first?.body == GHLSendRequest(type: "SMS", contactId: "contact-1", message: "Saturday at 10 works, see you there!"))
        #expect(fake.received.first?.authorization == "Bearer pit-loc-1")
    }

    @Test("bad replies get error frames: empty, over 1,600 characters, forbidden conversation, opted-out channel, bad channel")
    func badReplies() async throws {
        let fake = FakeGHL()
        try await fake.run { base in
            try await Harness.run(configure: try ghlConfiguration(base)) { h in
                try await h.seedConversation()  // conv-1 is agent-1's
                let other = try await h.connect("agent-2", .agent)
                try await other.send(#"{"op":"reply.send","conversationId":"conv-1","text":"hi"}"#)
                let agent = try await h.connect("agent-1", .agent)
                try await agent.send(#"{"op":"reply.send","conversationId":"conv-1","text":"   "}"#)
                try await agent.send(#"{"op":"reply.send","conversationId":"conv-1","text":"\#(String(repeating: "a", count: 1_601))"}"#)
                try await agent.send(#"{"op":"reply.send","conversationId":"conv-1","text":"hi","channel":"Fax"}"#)
                #expect(try await h.post(try GHLFixture.body("contact-dnd-update")).status == .ok)  // SMS DND on
                try await agent.send(#"{"op":"reply.send","conversationId":"conv-1","text":"hi"}"#)
                try await agent.waitUntil { $0.frames(type: "error").count == 4 }
                try await other.waitUntil { !$0.frames(type: "error").isEmpty }
                #expect(agent.frames(type: "error").compactMap { $0["code"] as? String } == ["invalid_field", "invalid_field", "invalid_field", "opted_out"])
                #expect(other.frames(type: "error").first?["code"] as? String == "forbidden")
                await agent.close()
                await other.close()
            }
        }
        #expect(fake.received.isEmpty)
    }

    @Test("GHL refuses (422) → failed with the reason; rate limited → stays queued and can be cancelled, never sent")
    func failuresAndCancel() async throws {
        let fake = FakeGHL()
        try await fake.run { base in
            try await Harness.run(configure: try ghlConfiguration(base)) { h in
                try await h.seedConversation()
                let agent = try await h.subscribed("agent-1", .agent, to: "conversation:conv-1")
                fake.enqueue(.status(422, message: "Unprocessable Entity"))
                try await agent.send(#"{"op":"reply.send","conversationId":"conv-1","text":"first"}"#)
                try await agent.waitUntil { h.outboundEvents($0).contains { $0["delivery"] as? String == "failed" } }
                #expect((h.outboundEvents(agent).last?["error"] as? String)?.contains("422") == true)

                fake.enqueue(.status(429, message: "Too Many Requests", headers: [("X-RateLimit-Interval-Milliseconds", "60000")]))
                try await agent.send(#"{"op":"reply.send","conversationId":"conv-1","text":"second"}"#)
                // The send may reach GHL before the queued event reaches the socket: wait for both.
                try await agent.waitUntil { p in fake.received.count == 2 && h.outboundEvents(p).contains { $0["text"] as? String == "second" } }
                let queued = try #require(h.outboundEvents(agent).last { $0["text"] as? String == "second" })
                let id = try #require(queued["outboxId"] as? String)
                // Requeued after the 429: still cancellable.
                for _ in 0..<200 where try await h.server.storage.outbox.entry(id)?.state != .queued { try await Task.sleep(for: .milliseconds(5)) }
                try await agent.send(#"{"op":"reply.cancel","conversationId":"conv-1","outboxId":"\#(id)"}"#)
                try await agent.waitUntil { h.outboundEvents($0).contains { $0["delivery"] as? String == "cancelled" } }
                #expect(try await h.server.storage.outbox.entry(id)?.state == .cancelled)
                try await agent.send(#"{"op":"reply.cancel","conversationId":"conv-1","outboxId":"\#(id)"}"#)
                try await agent.waitUntil { !$0.frames(type: "error").isEmpty }
                #expect(agent.frames(type: "error").first?["code"] as? String == "not_cancellable")
                await agent.close()
            }
        }
        #expect(fake.received.count == 2)
    }

    @Test("GHL's OutboundMessage echo of our message confirms it: no duplicate message.outbound")
    func echo() async throws {
        let fake = FakeGHL()
        try await fake.run { base in
            try await Harness.run(configure: try ghlConfiguration(base)) { h in
                try await h.seedConversation()
                let agent = try await h.subscribed("agent-1", .agent, to: "conversation:conv-1")
                try await agent.send(#"{"op":"reply.send","conversationId":"conv-1","text":"On my way"}"#)
                try await agent.waitUntil { h.outboundEvents($0).contains { $0["delivery"] as? String == "sent" } }
                let before = try await h.events("conv-1").count
                let echo = try GHLFixture.body("outbound-call", ["webhookId": "wh-echo", "messageId": "ghl-msg-1", "messageType": "SMS", "body": "On my way", "source": "api", "userId": NSNull()])
                #expect(try await h.post(echo).json["events"] as? Int == 0)
                #expect(try await h.events("conv-1").count == before)
                await agent.close()
            }
        }
    }

    @Test("crash after the outbox insert, before the send: the restarted server sends it exactly once")
    func crashBeforeSend() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-outbox-\(UUID().uuidString)")
        let key = Curve25519.Signing.PrivateKey()
        let fake = FakeGHL()
        try await fake.run { base in
            let configure = try ghlConfiguration(base)
            try await Harness.run(dataDirectory: dir, key: key, configure: { configure(&$0); $0.outboxPaused = true }) { h in
                try await h.seedConversation()
                let agent = try await h.connect("agent-1", .agent)
                try await agent.send(#"{"op":"reply.send","conversationId":"conv-1","text":"queued before the crash"}"#)
                for _ in 0..<400 where try await h.server.storage.outbox.entries(state: .queued, after: nil, limit: 100).isEmpty { try await Task.sleep(for: .milliseconds(5)) }
                #expect(try await h.server.storage.outbox.entries(state: .queued, after: nil, limit: 100).count == 1)
                await agent.close()
            }
            #expect(fake.received.isEmpty)
            try await Harness.run(dataDirectory: dir, key: key, configure: configure) { h in
                for _ in 0..<400 where try await h.server.storage.outbox.entries(state: .sent, after: nil, limit: 100).isEmpty { try await Task.sleep(for: .milliseconds(5)) }
                #expect(try await h.server.storage.outbox.entries(state: .sent, after: nil, limit: 100).count == 1)
            }
        }
        #expect(fake.received.count == 1)
    }

    @Test("crash after GHL accepted, before we learned it: the entry waits, GHL's echo settles it, nothing is sent twice")
    func unknownOutcome() async throws {
        let fake = FakeGHL()
        try await fake.run { base in
            try await Harness.run(configure: try ghlConfiguration(base)) { h in
                try await h.seedConversation()
                // GHL takes the message but answers too late: the outcome is unknown to us.
                fake.enqueue(.slow(.seconds(2)))
                let agent = try await h.subscribed("agent-1", .agent, to: "conversation:conv-1")
                try await agent.send(#"{"op":"reply.send","conversationId":"conv-1","text":"Did this arrive?"}"#)
                try await agent.waitUntil { _ in fake.received.count == 1 }
                for _ in 0..<2_000 where try await h.server.storage.outbox.entries(state: .sending, after: nil, limit: 100).isEmpty { try await Task.sleep(for: .milliseconds(5)) }
                let pending = try #require(try await h.server.storage.outbox.entries(state: .sending, after: nil, limit: 100).first)
                // GHL's echo arrives: it is our message (same conversation and text), now sent.
                let echo = try GHLFixture.body("outbound-call", ["webhookId": "wh-echo-2", "messageId": "ghl-late-1", "messageType": "SMS", "body": "Did this arrive?", "source": "api", "userId": NSNull()])
                #expect(try await h.post(echo).status == .ok)
                #expect(try await h.server.storage.outbox.entry(pending.request.outboxId)?.state == .sent)
                #expect(fake.received.count == 1)
                try await agent.waitUntil { h.outboundEvents($0).contains { $0["messageId"] as? String == "ghl-late-1" && $0["delivery"] as? String == "sent" } }
                await agent.close()
            }
        }
    }
}

@Suite("Outbox reconciliation without an echo")
struct OutboxReconcileTests {
    func reconciler(_ h: Harness) -> OutboxReconciler {
        OutboxReconciler(outbox: h.server.storage.outbox, client: h.server.sender.client, sender: h.server.sender, grace: 0, logger: h.server.logger)
    }

    func sendAndWaitForUnknown(_ h: Harness, text: String) async throws -> OutboxEntry {
        let agent = try await h.connect("agent-1", .agent)
        try await agent.send(#"{"op":"reply.send","conversationId":"conv-1","text":"\#(text)"}"#)
        for _ in 0..<2_000 where try await h.server.storage.outbox.entries(state: .sending, after: nil, limit: 100).isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        await agent.close()
        return try #require(try await h.server.storage.outbox.entries(state: .sending, after: nil, limit: 100).first)
    }

    @Test("GHL has it (it answered too late): the look-up finds it, the entry is sent, nothing is resent")
    func foundInGHL() async throws {
        let fake = FakeGHL()
        try await fake.run { base in
            try await Harness.run(configure: try ghlConfiguration(base)) { h in
                try await h.seedConversation()
                fake.enqueue(.slow(.seconds(2)))
                let entry = try await sendAndWaitForUnknown(h, text: "Found it?")
                #expect(await reconciler(h).reconcile(now: Date().timeIntervalSince1970) == 1)
                let settled = try await h.server.storage.outbox.entry(entry.request.outboxId)
                #expect(settled?.state == .sent && settled?.ghlMessageId == "ghl-slow")
            }
        }
        #expect(fake.received.count == 1)
    }

    @Test("GHL does not have it (500, not processed): the look-up requeues it and it is sent once")
    func notInGHL() async throws {
        let fake = FakeGHL()
        try await fake.run { base in
            try await Harness.run(configure: try ghlConfiguration(base)) { h in
                try await h.seedConversation()
                fake.enqueue(.status(500, message: "Internal Server Error"))
                let entry = try await sendAndWaitForUnknown(h, text: "Second chance")
                #expect(await reconciler(h).reconcile(now: Date().timeIntervalSince1970) == 1)
                for _ in 0..<2_000 where try await h.server.storage.outbox.entry(entry.request.outboxId)?.state != .sent { try await Task.sleep(for: .milliseconds(5)) }
                #expect(try await h.server.storage.outbox.entry(entry.request.outboxId)?.state == .sent)
            }
        }
        #expect(fake.received.count == 2)
        #expect(fake.received.map { $0.body?.message } == ["Second chance", "Second chance"])
    }
}

@Suite("Opt-out is final")
struct OptOutFinalTests {
    /// Random sequences of lead messages, agent replies, DND changes and clock steps, in auto
    /// mode: once the lead has opted out, GHL never receives another message for them.
    @Test("property: after a STOP (or SMS DND) nothing is ever sent, on any path", arguments: [1, 2, 3, 4, 5, 6])
    func neverAfterOptOut(seed: UInt64) async throws {
        let fake = FakeGHL()
        let clock = ManualClock()
        var generator = SplitMix64(seed: seed)
        let random = (0..<64).map { _ in generator.next() }
        try await fake.run { base in
            try await Harness.run(timers: clock, configure: try ghlConfiguration(base, timeout: .milliseconds(500))) { h in
                h.server.autoSettings.set(AutoResponderSettings(mode: .auto, timezone: "America/New_York", delaySeconds: 5), for: "loc-1")
                #expect(try await h.post(try GHLFixture.body("contact-create-envelope")).status == .ok)
                let agent = try await h.connect("agent-1", .agent)
                let texts = ["Can we see it Saturday?", "How much is it?", "thanks!", "Is it still available?", "call me please", "we're pre-approved"]
                var optedOut = false
                var sentBeforeOptOut = 0
                var draws = random.makeIterator()
                func draw() -> UInt64 { draws.next() ?? 0 }
                for step in 0..<24 {
                    let roll = step == 16 && !optedOut ? 0 : Int(draw() % 100)
                    if !optedOut, roll < 12 {
                        // A reply GHL rate-limits just before the opt-out: queued again, due after it.
                        let before = fake.received.count
                        fake.enqueue(.status(429, message: "Too Many Requests", headers: [("X-RateLimit-Interval-Milliseconds", "300")]))
                        try await agent.send(#"{"op":"reply.send","conversationId":"conv-1","text":"queued before the opt-out"}"#)
                        for _ in 0..<2_000 where fake.received.count == before { try await Task.sleep(for: .milliseconds(2)) }
                        // The opt-out, by message or by GHL's DND.
                        if roll % 2 == 0 {
                            let body = try GHLFixture.body("inbound-sms", ["webhookId": "wh-stop-\(step)", "messageId": "m-stop-\(step)", "body": "STOP", "dateAdded": AutoResponderTests.daytime])
                            #expect(try await h.post(body).status == .ok)
                        } else {
                            #expect(try await h.post(try GHLFixture.body("contact-dnd-update", ["webhookId": "wh-dnd-\(step)"])).status == .ok)
                        }
                        // Let anything already in flight finish, then everything from now on must be held.
                        for _ in 0..<200 { await Task.yield() }
                        try await Task.sleep(for: .milliseconds(50))
                        optedOut = true
                        sentBeforeOptOut = fake.received.count
                    } else if roll < 55 {
                        let body = try GHLFixture.body("inbound-sms", ["webhookId": "wh-\(seed)-\(step)", "messageId": "m-\(seed)-\(step)", "body": texts[Int(draw() % 6)], "dateAdded": AutoResponderTests.daytime])
                        #expect(try await h.post(body).status == .ok)
                    } else if roll < 80 {
                        try await agent.send(#"{"op":"reply.send","conversationId":"conv-1","text":"agent reply \#(step)"}"#)
                    } else {
                        clock.advance(by: .seconds(Int64(draw() % 40)))
                    }
                    for _ in 0..<50 { await Task.yield() }
                }
                clock.advance(by: .seconds(3_600))
                // Long enough for the rate-limited reply to come due and be looked at again.
                try await Task.sleep(for: .milliseconds(1_500))
                #expect(optedOut)
                #expect(fake.received.count == sentBeforeOptOut, "seed \(seed): a message reached GHL after the opt-out: \(fake.received.dropFirst(sentBeforeOptOut).map { $0.body?.message ?? "" })")
                await agent.close()
            }
        }
    }
}

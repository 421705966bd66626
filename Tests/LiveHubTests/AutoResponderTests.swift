import Actors
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import LiveHub

@Suite("Auto-responder end to end")
struct AutoResponderTests {
    /// 11:00 in New York on a Friday: inside the sending window and business hours.
    static let daytime = "2026-11-20T16:00:00.000Z"
    /// The server's wall clock a minute after `daytime`: the outbox sender checks the sending
    /// window on it, and the tests must not depend on the hour they run at.
    static let daytimeClock: Double = 1_795_190_460

    /// A server in auto mode (delay 20 s) with a known contact, against the fake GHL.
    func runAuto(_ fake: FakeGHL, clock: ManualClock, _ body: @escaping @Sendable (Harness) async throws -> Void) async throws {
        try await fake.run { base in
            try await Harness.run(timers: clock, now: { Self.daytimeClock }, configure: try ghlConfiguration(base, timeout: .milliseconds(500))) { h in
                #expect(try await put(h, AutoResponderSettings(mode: .auto, timezone: "America/New_York", delaySeconds: 20)).0 == .ok)
                #expect(try await h.post(try GHLFixture.body("contact-create-envelope")).status == .ok)
                try await body(h)
            }
        }
    }

    func put(_ h: Harness, _ settings: AutoResponderSettings, role: AccessToken.Role = .admin, location: String = "loc-1") async throws -> (HTTPResponse.Status, [String: Any]) {
        let token = try await h.token("admin-1", role, [location])
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        headers[.contentType] = "application/json"
        let r = try await h.client.execute(uri: "/v1/locations/\(location)/autoresponder", method: .put, headers: headers, body: ByteBuffer(data: PayloadEncoder.encode(settings)))
        return (r.status, (try? JSONSerialization.jsonObject(with: Data(buffer: r.body))) as? [String: Any] ?? [:])
    }

    func decisions(_ h: Harness) async throws -> [AutoDecisionPayload] {
        try await h.events("conv-1").filter { $0.kind == .autoresponderDecision }.map { try $0.decode(AutoDecisionPayload.self) }
    }

    func lead(_ h: Harness, _ text: String, id: String) async throws {
        let body = try GHLFixture.body("inbound-sms", ["webhookId": "wh-\(id)", "messageId": "msg-\(id)", "body": text, "dateAdded": Self.daytime])
        #expect(try await h.post(body).status == .ok)
    }

    @Test("delay 0: the reply is queued in the lead message's own commit (present when the webhook is acknowledged) and sent without a timer")
    func noDelay() async throws {
        let fake = FakeGHL()
        let clock = ManualClock()  // never advanced: nothing may wait on a timer
        try await runAuto(fake, clock: clock) { h in
            #expect(try await put(h, AutoResponderSettings(mode: .auto, timezone: "America/New_York", delaySeconds: 0)).0 == .ok)
            try await lead(h, "Hi! Can we see the house this Saturday?", id: "1")
            let kinds = try await h.events("conv-1").map(\.kind)
            let inbound = try #require(kinds.firstIndex(of: .messageInbound))
            #expect(kinds[inbound...].contains(.messageOutbound) && kinds.contains(.autoresponderDecision))
            #expect(try await decisions(h).map(\.action) == ["sent"])
            for _ in 0..<4_000 where fake.received.isEmpty { try await Task.sleep(for: .milliseconds(2)) }
            #expect(fake.received.count == 1)
        }
    }

    @Test("auto mode: a new lead's first message is answered after the delay, through the outbox, with a decision event")
    func answers() async throws {
        let fake = FakeGHL()
        let clock = ManualClock()
        try await runAuto(fake, clock: clock) { h in
            try await lead(h, "Hi! Can we see the house this Saturday?", id: "1")
            #expect(try await decisions(h).isEmpty)  // waiting for the delay
            try await waitForSleepers(clock, 2)  // SLA and auto timers armed
            clock.advance(by: .seconds(20))
            for _ in 0..<4_000 where fake.received.isEmpty { try await Task.sleep(for: .milliseconds(2)) }
            let d = try await decisions(h)
            #expect(d.map(\.action) == ["sent"] && d.first?.reason == "first_message")
            #expect(fake.received.count == 1)
            #expect(fake.received.first?.body?.contactId == "contact-1")
        }
    }

    @Test("a human reply during the delay cancels the automatic one; an opt-out is never answered")
    func humanAndOptOut() async throws {
        let fake = FakeGHL()
        let clock = ManualClock()
        try await runAuto(fake, clock: clock) { h in
            try await lead(h, "Hi! Can we see the house this Saturday?", id: "1")
            let agent = try await h.connect("agent-1", .agent)
            try await agent.send(#"{"op":"reply.send","conversationId":"conv-1","text":"Hi Dana, Sam here. Saturday 10am?"}"#)
            for _ in 0..<4_000 where try await decisions(h).isEmpty { try await Task.sleep(for: .milliseconds(2)) }
            #expect(try await decisions(h).map(\.reason) == ["human_replied"])
            clock.advance(by: .seconds(60))
            try await lead(h, "STOP", id: "2")
            clock.advance(by: .seconds(60))
            for _ in 0..<200 { await Task.yield() }
            let reasons = try await decisions(h).map(\.reason)
            #expect(reasons.last == "opted_out")
            await agent.close()
        }
        // Only the agent's own reply reached GHL.
        #expect(fake.received.map { $0.body?.message } == ["Hi Dana, Sam here. Saturday 10am?"])
    }

    @Test("settings: admins only, validated with the field named, recorded and broadcast to the location")
    func settingsAPI() async throws {
        try await Harness.run { h in
            let sup = try await h.subscribed("sup-1", .supervisor, to: "location:loc-1")
            #expect(try await put(h, AutoResponderSettings(mode: .auto), role: .supervisor).0 == .forbidden)
            var bad = AutoResponderSettings(mode: .auto)
            bad.timezone = "Mars/Olympus"
            let (s1, j1) = try await put(h, bad)
            #expect(s1 == .unprocessableContent && (j1["message"] as? String)?.hasPrefix("timezone") == true)
            #expect(try await put(h, AutoResponderSettings(mode: .auto, delaySeconds: 45)).0 == .ok)
            try await sup.waitUntil { $0.events(topic: "location:loc-1").contains { $0["kind"] as? String == "autoresponder.settings" } }
            #expect(try await h.settingsChanges("loc-1") == 1)
            #expect(h.server.autoSettings.settings(for: "loc-1").delaySeconds == 45)
            await sup.close()
        }
    }

    func patch(_ h: Harness, _ json: String, role: AccessToken.Role = .admin) async throws -> (HTTPResponse.Status, [String: Any]) {
        let token = try await h.token("admin-1", role, ["loc-1"])
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        headers[.contentType] = "application/json"
        let r = try await h.client.execute(uri: "/v1/locations/loc-1/autoresponder", method: .patch, headers: headers, body: ByteBuffer(string: json))
        return (r.status, (try? JSONSerialization.jsonObject(with: Data(buffer: r.body))) as? [String: Any] ?? [:])
    }

    @Test("PATCH changes only the fields it names; unknown fields, wrong types and invalid values are refused, nothing changes")
    func settingsPatch() async throws {
        try await Harness.run { h in
            #expect(try await put(h, AutoResponderSettings(mode: .suggest, timezone: "America/Chicago", delaySeconds: 45)).0 == .ok)
            #expect(try await patch(h, #"{"mode":"auto"}"#, role: .supervisor).0 == .forbidden)
            let (s1, j1) = try await patch(h, #"{"mode":"auto","delaySeconds":0}"#)
            #expect(s1 == .ok && j1["mode"] as? String == "auto" && j1["delaySeconds"] as? Double == 0 && j1["timezone"] as? String == "America/Chicago")
            let (s2, j2) = try await patch(h, #"{"mode":"off","colour":"red"}"#)
            #expect(s2 == .badRequest && j2["error"] as? String == "unknown_field" && j2["message"] as? String == "colour")
            let (s3, j3) = try await patch(h, #"{"delaySeconds":"soon"}"#)
            #expect(s3 == .badRequest && j3["error"] as? String == "invalid_field" && j3["message"] as? String == "delaySeconds")
            let (s4, j4) = try await patch(h, #"{"delaySeconds":900}"#)
            #expect(s4 == .unprocessableContent && (j4["message"] as? String)?.hasPrefix("delaySeconds") == true)
            #expect(try await patch(h, "[1,2]").0 == .badRequest)
            let (s5, j5) = try await patch(h, #"{"mode":"sometimes"}"#)
            #expect(s5 == .badRequest && j5["error"] as? String == "invalid_field" && j5["message"] as? String == "mode must be one of auto | suggest | off")
            // The sending window's former names are still read.
            let (s6, j6) = try await patch(h, #"{"quietStartHour":9}"#)
            #expect(s6 == .ok && j6["sendingStartHour"] as? Int == 9 && j6["quietStartHour"] == nil)
            // A group changes field by field: the drafts' other settings stay.
            let (s7, _) = try await patch(h, #"{"drafts":{"enabled":true,"maxPerHour":7,"autoForHotLeads":true}}"#)
            let (s8, j8) = try await patch(h, #"{"drafts":{"enabled":false}}"#)
            let drafts = j8["drafts"] as? [String: Any]
            #expect(s7 == .ok && s8 == .ok && drafts?["enabled"] as? Bool == false && drafts?["maxPerHour"] as? Int == 7 && drafts?["autoForHotLeads"] as? Bool == true)
            let now = h.server.autoSettings.settings(for: "loc-1")
            #expect(now.mode == .auto && now.delaySeconds == 0 && now.timezone == "America/Chicago")
            #expect(try await h.settingsChanges("loc-1") == 5)
        }
    }
}

/// Waits (30 s at most, then records an issue) until `n` timers sleep on the test clock.
func waitForSleepers(_ clock: ManualClock, _ n: Int) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while clock.sleeperCount < n {
        guard ContinuousClock.now < deadline else {
            Issue.record("timers never armed: \(clock.sleeperCount) of \(n)")
            return
        }
        try await Task.sleep(for: .milliseconds(2))
    }
}

import Actors
import Crypto
import Foundation
import Testing

@testable import LiveHub

/// Work a conversation schedules for later (an automatic reply's delay, a quiet-hours hold, the
/// SLA check) is durable: it survives passivation and restarts and fires once.
@Suite("Scheduled work")
struct ScheduledWorkTests {
    let auto = AutoResponderTests()
    /// 2026-11-21 10:00 in New York: the server's wall clock in tests where the outbox sender's
    /// own check of the sending window (on the wall clock) must find it open, whatever the hour
    /// the tests run at.
    static let tenAM: Double = 1_795_273_200

    /// Runs each of `lives` on its own server, one after the other, on the same data and key
    /// against the same fake GHL: a restart between each.
    func acrossRestarts(_ fake: FakeGHL, _ lives: [@Sendable (Harness) async throws -> Void]) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-sched-\(UUID().uuidString)")
        let key = Curve25519.Signing.PrivateKey()
        try await fake.run { base in
            let configure = try ghlConfiguration(base, timeout: .milliseconds(500))
            for life in lives { try await Harness.run(dataDirectory: dir, key: key, timers: ManualClock(), now: { Self.tenAM }, configure: configure, life) }
        }
    }

    func waitForSends(_ fake: FakeGHL) async throws {
        for _ in 0..<1_500 where fake.received.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
    }

    @Test("a reply waiting for its delay survives a restart, is sent after it, and a further restart does not send it again")
    func delayAcrossRestart() async throws {
        let fake = FakeGHL()
        try await acrossRestarts(fake, [
            { h in
                #expect(try await auto.put(h, AutoResponderSettings(mode: .auto, timezone: "America/New_York", delaySeconds: 20)).0 == .ok)
                #expect(try await h.post(try GHLFixture.body("contact-create-envelope")).status == .ok)
                try await auto.lead(h, "Hi! Can we see the house this Saturday?", id: "1")
                #expect(try await auto.decisions(h).isEmpty)  // waiting for the delay when the server stops
            },
            { h in
                // After the restart its time has long passed (the message is from 2026-11-20): it goes out now.
                try await waitForSends(fake)
                #expect(fake.received.count == 1)
                #expect(try await auto.decisions(h).map(\.action) == ["sent"])
            },
            { h in
                try await Task.sleep(for: .milliseconds(500))
                #expect(try await auto.decisions(h).map(\.action) == ["sent"])
            },
        ])
        #expect(fake.received.count == 1)
    }

    @Test("a quiet-hours hold survives a restart and is reconsidered at 8:00")
    func quietHoursAcrossRestart() async throws {
        let fake = FakeGHL()
        try await acrossRestarts(fake, [
            { h in
                #expect(try await auto.put(h, AutoResponderSettings(mode: .auto, timezone: "America/New_York", delaySeconds: 0)).0 == .ok)
                // 03:00 in New York (the contact's zone is Chicago: 02:00): outside the sending window.
                let body = try GHLFixture.body("inbound-sms", ["webhookId": "wh-night", "messageId": "msg-night", "body": "Is it still available?", "dateAdded": "2026-11-20T08:00:00.000Z"])
                #expect(try await h.post(body).status == .ok)
                let held = try await auto.decisions(h)
                #expect(held.map(\.reason) == ["quiet_hours"])
                #expect(held.first?.retryAt != nil)
            },
            { h in
                try await waitForSends(fake)
                #expect(fake.received.count == 1)
                #expect(try await auto.decisions(h).map(\.action) == ["held", "sent"])
            },
        ])
    }

    @Test("a reply waiting for its delay survives passivation of its idle conversation")
    func delayAcrossPassivation() async throws {
        let fake = FakeGHL()
        let clock = ManualClock()
        try await auto.runAuto(fake, clock: clock) { h in
            try await auto.lead(h, "Hi! Can we see the house this Saturday?", id: "1")
            try await waitForSleepers(clock, 2)  // SLA and auto timers armed
            await h.server.directory.passivateIdle(now: .now + .seconds(3 * 3600))
            clock.advance(by: .seconds(20))
            try await waitForSends(fake)
            #expect(fake.received.count == 1)
            #expect(try await auto.decisions(h).map(\.action) == ["sent"])
        }
    }

    @Test("an automatic reply queued inside the sending window but sent after it closed is held for the next window, not sent")
    func sendingWindowAtSendTime() async throws {
        let fake = FakeGHL()
        // The lead wrote at 20:59 in New York (queued at once, delay 0), but the outbox sends at
        // 21:09 (its clock): too late for tonight.
        let sendTime = try #require(GHLWebhook.date("2026-11-21T02:09:00Z")).timeIntervalSince1970
        try await fake.run { base in
            try await Harness.run(timers: ManualClock(), now: { sendTime }, configure: try ghlConfiguration(base, timeout: .milliseconds(500))) { h in
                var settings = AutoResponderSettings(mode: .auto, timezone: "America/New_York", delaySeconds: 0)
                settings.businessEndHour = 18
                #expect(try await auto.put(h, settings).0 == .ok)
                let body = try GHLFixture.body("inbound-sms", ["webhookId": "wh-late", "messageId": "msg-late", "body": "Hi! Can we see the house this Saturday?", "dateAdded": "2026-11-21T01:59:00.000Z"])
                #expect(try await h.post(body).status == .ok)
                #expect(try await auto.decisions(h).map(\.action) == ["sent"])  // queued in time
                var entry = try await h.server.storage.outbox.entries(state: .queued, after: nil, limit: 10).first
                for _ in 0..<500 where entry?.dueAt ?? 0 < sendTime {
                    try await Task.sleep(for: .milliseconds(10))
                    entry = try await h.server.storage.outbox.entries(state: .queued, after: nil, limit: 10).first
                }
                // Postponed to 8:00 in New York (13:00 UTC), still queued.
                #expect(entry?.dueAt == GHLWebhook.date("2026-11-21T13:00:00Z")?.timeIntervalSince1970)
            }
        }
        #expect(fake.received.isEmpty)
    }

    @Test("an SLA that passes while an automatic reply is held alerts, and does not supersede the held reply (no newer message came)")
    func slaDuringHold() async throws {
        let fake = FakeGHL()
        let clock = ManualClock()
        try await fake.run { base in
            let ghl = try ghlConfiguration(base, timeout: .milliseconds(500))
            try await Harness.run(timers: clock, now: { Self.tenAM }, configure: { c in
                ghl(&c)
                c.slaTarget = .seconds(2)
            }) { h in
                #expect(try await auto.put(h, AutoResponderSettings(mode: .auto, timezone: "America/New_York", delaySeconds: 20)).0 == .ok)
                try await auto.lead(h, "Hi! Can we see the house this Saturday?", id: "1")
                try await waitForSleepers(clock, 2)  // SLA (2 s) and the delay (20 s)
                clock.advance(by: .seconds(3))
                var alerts = 0
                for _ in 0..<1_500 where alerts == 0 {
                    try await Task.sleep(for: .milliseconds(10))
                    alerts = try await h.events("conv-1").filter { $0.kind == .alert }.count
                }
                #expect(alerts == 1)
                #expect(try await auto.decisions(h).isEmpty)  // the held reply still waits, untouched
                clock.advance(by: .seconds(20))
                try await waitForSends(fake)
                #expect(try await auto.decisions(h).map(\.reason) == ["first_message"])
            }
        }
        #expect(fake.received.count == 1)
    }

    @Test("delay 0: a new lead is answered once; when the SLA then passes with no human reply, the alert fires and the text is not sent again")
    func noRepeatAfterSLA() async throws {
        let fake = FakeGHL()
        let clock = ManualClock()
        try await auto.runAuto(fake, clock: clock) { h in
            #expect(try await auto.put(h, AutoResponderSettings(mode: .auto, timezone: "America/New_York", delaySeconds: 0)).0 == .ok)
            try await auto.lead(h, "Hi! Can we see the house this Saturday?", id: "1")
            try await waitForSends(fake)
            try await waitForSleepers(clock, 1)  // the SLA timer
            clock.advance(by: .seconds(121))
            var alerts: [AlertPayload] = []
            for _ in 0..<1_500 where alerts.isEmpty {
                try await Task.sleep(for: .milliseconds(20))
                alerts = try await h.events("conv-1").filter { $0.kind == .alert }.map { try $0.decode(AlertPayload.self) }.filter { $0.reason == .slaBreach }
            }
            #expect(alerts.count == 1)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await auto.decisions(h).filter { $0.action == "sent" }.count == 1)
            #expect(!(try await auto.decisions(h)).contains { $0.reason == "superseded_by_newer_message" })
        }
        #expect(fake.received.count == 1)
    }
}

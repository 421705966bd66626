import Actors
import Coaching
import Foundation
import Testing

@Suite("Auto-responder policy")
struct AutoResponderPolicyTests {
    let settings = AutoResponderSettings(mode: .auto, timezone: "America/Chicago")

    func facts(_ change: (inout AutoResponderPolicy.Facts) -> Void = { _ in }) -> AutoResponderPolicy.Facts {
        var f = AutoResponderPolicy.Facts(
            settings: settings, mode: .auto, channel: "SMS", optedOutChannels: [], contactTimezone: nil, autoSentToday: 0, autoSentTotal: 0,
            lastHumanAt: nil, takenOver: false, negotiating: false, firstLeadMessage: true, slaBreached: false)
        change(&f)
        return f
    }

    func decide(_ text: String, at iso: String = "2026-11-20T16:00:00Z", _ change: (inout AutoResponderPolicy.Facts) -> Void = { _ in }) throws -> AutoResponderPolicy.Decision {
        var session = CoachingSession(reply: ReplyContext(leadFirstName: "Dana", agentName: "Sam"))
        let step = Fixture.engine.step(&session, text: text, speaker: .lead, at: 0)
        let t = try Date(iso, strategy: .iso8601).timeIntervalSince1970
        return AutoResponderPolicy.decide(facts(change), analysis: step.analysis, replies: step.replies, now: t)
    }

    func isSend(_ d: AutoResponderPolicy.Decision) -> Bool { if case .send = d { return true } else { return false } }

    @Test("sends a good reply to a new lead's first message inside the sending window")
    func sends() throws {
        #expect(isSend(try decide("Hi, can we see the house this Saturday?")))  // 10:00 Chicago, Friday
    }

    @Test("never after an opt-out, on DND, or on a wrong number")
    func compliance() throws {
        #expect(try decide("STOP") == .hold("opted_out"))
        #expect(try decide("Can we see it Saturday?") { $0.optedOutChannels = ["SMS"] } == .hold("opted_out"))
        #expect(try decide("Can we see it Saturday?") { $0.optedOutChannels = ["all"] } == .hold("opted_out"))
        #expect(isSend(try decide("Can we see it Saturday?") { $0.optedOutChannels = ["Email"] }))
        #expect(try decide("wrong number, who is this?") == .hold("wrong_number"))
    }

    @Test("human requests, legal threats, anger and negotiation escalate instead")
    func escalations() throws {
        #expect(try decide("is this a bot? I want a real person") == .escalate("human_requested"))
        #expect(try decide("I'm going to sue you") == .escalate("legal_threat"))
        #expect(try decide("this is terrible, you are rude and useless people") == .escalate("negative_sentiment"))
        #expect(try decide("Would the seller take 415?") { $0.negotiating = true } == .escalate("negotiation"))
    }

    @Test("a person has the floor: takeover, or a human message within the floor time")
    func humanFloor() throws {
        let t = try Date("2026-11-20T16:00:00Z", strategy: .iso8601).timeIntervalSince1970
        #expect(try decide("Can we see it Saturday?") { $0.takenOver = true } == .hold("human_has_floor"))
        #expect(try decide("Can we see it Saturday?") { $0.lastHumanAt = t - 600 } == .hold("human_has_floor"))
        #expect(isSend(try decide("Can we see it Saturday?") { $0.lastHumanAt = t - 5 * 3600 }))
    }

    @Test("triggers: not the first message, in business hours, no SLA breach → wait for a human")
    func triggers() throws {
        #expect(try decide("Can we see it Saturday?") { $0.firstLeadMessage = false } == .hold("waiting_for_human"))
        #expect(isSend(try decide("Can we see it Saturday?") { $0.firstLeadMessage = false; $0.slaBreached = true }))
        // 19:30 Chicago on a Friday: outside business hours, inside the sending window.
        #expect(isSend(try decide("Can we see it Saturday?", at: "2026-11-21T01:30:00Z") { $0.firstLeadMessage = false }))
    }

    @Test("caps and confidence")
    func caps() throws {
        #expect(try decide("Can we see it Saturday?") { $0.autoSentToday = 3 } == .hold("daily_cap_reached"))
        #expect(try decide("Can we see it Saturday?") { $0.autoSentTotal = 25 } == .hold("conversation_cap_reached"))
        #expect(try decide("Can we see it Saturday?") { $0.settings.confidenceThreshold = 0.99 } == .hold("low_confidence"))
    }

    @Test("quiet hours in the contact's time zone, else the location's, across a DST change")
    func quietHours() throws {
        // 21:00 Chicago (CST): wait for 8:00 the next morning = 14:00Z.
        #expect(try decide("Can we see it Saturday?", at: "2026-11-21T03:00:00Z") == .wait(until: try Date("2026-11-21T14:00:00Z", strategy: .iso8601).timeIntervalSince1970))
        // 07:00 in Los Angeles (the contact's zone) although 09:00 in Chicago: wait for 8:00 PST = 16:00Z.
        #expect(try decide("Can we see it Saturday?", at: "2026-11-21T15:00:00Z") { $0.contactTimezone = "America/Los_Angeles" }
            == .wait(until: try Date("2026-11-21T16:00:00Z", strategy: .iso8601).timeIntervalSince1970))
        // 01:30 CST on 2026-03-08, the night clocks spring forward: 8:00 CDT is 13:00Z, not 14:00Z.
        #expect(try decide("Can we see it Saturday?", at: "2026-03-08T07:30:00Z") == .wait(until: try Date("2026-03-08T13:00:00Z", strategy: .iso8601).timeIntervalSince1970))
    }

    @Test("settings are validated, naming the field")
    func validation() {
        var s = AutoResponderSettings()
        s.timezone = "Mars/Olympus"
        #expect(throws: AutoResponderSettings.Invalid.self) { try s.validate() }
        #expect(invalidField(AutoResponderSettings(sendingStartHour: 6)) == "sendingStartHour")
        #expect(invalidField(AutoResponderSettings(delaySeconds: 0.5)) == "delaySeconds")
        #expect(invalidField(AutoResponderSettings(delaySeconds: 301)) == "delaySeconds")
        #expect(invalidField(AutoResponderSettings(delaySeconds: 0)) == nil)  // 0 = send at once
        #expect(invalidField(AutoResponderSettings()) == nil)
    }

    func invalidField(_ s: AutoResponderSettings) -> String? {
        do {
            try s.validate()
            return nil
        } catch {
            return error.field
        }
    }

    @Test("the daily cap counts the contact's local day: it does not reset at UTC midnight (a Los Angeles afternoon)")
    func localDay() throws {
        let la = try #require(TimeZone(identifier: "America/Los_Angeles"))
        func t(_ iso: String) throws -> Double { try Date(iso, strategy: .iso8601).timeIntervalSince1970 }
        // 09:00 and 20:30 PST on 2026-11-20 straddle UTC midnight but are one local day.
        #expect(AutoResponderPolicy.localDay(try t("2026-11-20T17:00:00Z"), zone: la) == AutoResponderPolicy.localDay(try t("2026-11-21T04:30:00Z"), zone: la))
        // 00:30 PST the next morning is the next day.
        #expect(AutoResponderPolicy.localDay(try t("2026-11-21T08:30:00Z"), zone: la) == AutoResponderPolicy.localDay(try t("2026-11-20T17:00:00Z"), zone: la) + 1)
        #expect(AutoResponderPolicy.zone(contact: "Not/AZone", AutoResponderSettings(timezone: "America/Chicago")).identifier == "America/Chicago")
    }
}

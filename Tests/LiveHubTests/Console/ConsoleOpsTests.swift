import Actors
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import LiveHub

@Suite("Console ops: card dismissals, alert acknowledgements, agents' location view, viewers, SLA stats")
struct ConsoleOpsTests {
    static func data(_ frame: [String: Any]) -> [String: Any] { frame["data"] as? [String: Any] ?? [:] }

    @Test("card.dismiss records one card.dismissed per card; a seq that is no card is not_found")
    func dismiss() async throws {
        try await Harness.run { h in
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)
            let card = try #require(try await h.events("conv-1").first { $0.kind == .coachingCard })
            let analysis = try #require(try await h.events("conv-1").first { $0.kind == .analysis })
            let agent = try await h.subscribed("agent-1", .agent, to: "conversation:conv-1")
            for _ in 0..<2 { try await agent.send(#"{"op":"card.dismiss","conversationId":"conv-1","seq":\#(card.seq)}"#) }
            try await agent.send(#"{"op":"card.dismiss","conversationId":"conv-1","seq":\#(analysis.seq)}"#)
            try await agent.send(#"{"op":"card.dismiss","conversationId":"conv-1"}"#)
            try await agent.waitUntil { $0.frames(type: "error").count == 2 }
            #expect(agent.frames(type: "error").compactMap { $0["code"] as? String } == ["not_found", "missing_field"])
            let dismissed = try await h.events("conv-1").filter { $0.kind == .cardDismissed }
            #expect(dismissed.count == 1)
            let payload = try #require(dismissed.first).decode(CardDismissedPayload.self)
            #expect(payload.cardSeq == card.seq && payload.by == "agent-1" && !payload.title.isEmpty)
            try await agent.waitUntil { $0.events(topic: "conversation:conv-1").contains { $0["kind"] as? String == "card.dismissed" } }
            await agent.close()
        }
    }

    @Test("alert.ack: supervisors only, once; the alert leaves the summary's attention and the location topic hears it")
    func acknowledge() async throws {
        try await Harness.run { h in
            let body = try GHLFixture.body("inbound-sms", ["body": "I want to talk to a real person, not a bot. My lawyer will hear about this."])
            #expect(try await h.post(body).status == .ok)
            let alerts = try await h.events("conv-1").filter { $0.kind == .alert }
            let alert = try #require(alerts.first)
            let supervisor = try await h.subscribed("sup-1", .supervisor, to: "location:loc-1")
            let first = try #require(supervisor.events(topic: "location:loc-1").first { $0["kind"] as? String == "conversation.summary" })
            let attention = Self.data(first)["attention"] as? [String] ?? []
            #expect(attention.count == Set(alerts.compactMap { try? $0.decode(AlertPayload.self).reason.rawValue }).count && !attention.isEmpty)
            let agent = try await h.connect("agent-1", .agent)
            try await agent.send(#"{"op":"alert.ack","conversationId":"conv-1","seq":\#(alert.seq)}"#)
            try await agent.waitUntil { !$0.frames(type: "error").isEmpty }
            #expect(agent.frames(type: "error").first?["code"] as? String == "forbidden")
            for _ in 0..<2 { try await supervisor.send(#"{"op":"alert.ack","conversationId":"conv-1","seq":\#(alert.seq)}"#) }
            try await supervisor.waitUntil { $0.events(topic: "location:loc-1").contains { $0["kind"] as? String == "alert.acknowledged" } }
            let acks = try await h.events("conv-1").filter { $0.kind == .alertAcknowledged }
            #expect(acks.count == 1)
            #expect(try acks[0].decode(AlertAcknowledgedPayload.self) == AlertAcknowledgedPayload(alertSeq: alert.seq, reason: try alert.decode(AlertPayload.self).reason.rawValue, by: "sup-1"))
            let actor = try #require(h.server.directory.liveActor("conv-1"))
            #expect(await actor.currentSummary.attention.count == attention.count - 1)
            await agent.close()
            await supervisor.close()
        }
    }

    @Test("agents on location:{id} see only what they may read, and are told when a conversation leaves their view")
    func agentLocationView() async throws {
        try await Harness.run { h in
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)  // conv-1, unassigned
            let other = try GHLFixture.body("inbound-sms", ["webhookId": "wh-o", "messageId": "msg-o", "conversationId": "conv-2", "contactId": "contact-2"])
            #expect(try await h.post(other).status == .ok)
            let toAgent2 = try GHLFixture.body("contact-create-envelope", ["webhookId": "wh-c2", "data": ["id": "contact-2", "locationId": "loc-1", "firstName": "Ana", "assignedTo": "agent-2"]])
            #expect(try await h.post(toAgent2).status == .ok)
            let agent = try await h.subscribed("agent-1", .agent, to: "location:loc-1")
            let listed = agent.events(topic: "location:loc-1").filter { $0["kind"] as? String == "conversation.summary" }.compactMap { Self.data($0)["conversationId"] as? String }
            #expect(listed == ["conv-1"])
            // conv-1 goes to agent-2: agent-1 is told it left; conv-2's news never reaches agent-1.
            let toAgent2Too = try GHLFixture.body("contact-create-envelope", ["webhookId": "wh-c1", "data": ["id": "contact-1", "locationId": "loc-1", "firstName": "Bo", "assignedTo": "agent-2"]])
            #expect(try await h.post(toAgent2Too).status == .ok)
            try await agent.waitUntil { $0.events(topic: "location:loc-1").contains { $0["kind"] as? String == "conversation.removed" } }
            // conv-2 (agent-2's) moves, and a supervisor opens it: agent-1 hears nothing of it at all.
            let supervisor = try await h.subscribed("sup-1", .supervisor, to: "conversation:conv-2")
            let more = try GHLFixture.body("inbound-sms", ["webhookId": "wh-o2", "messageId": "msg-o2", "conversationId": "conv-2", "contactId": "contact-2", "body": "Any news?"])
            #expect(try await h.post(more).status == .ok)
            // A marker behind those: conv-3, unassigned, which agent-1 may read.
            let marker = try GHLFixture.body("inbound-sms", ["webhookId": "wh-m", "messageId": "msg-m", "conversationId": "conv-3", "contactId": "contact-3"])
            #expect(try await h.post(marker).status == .ok)
            try await agent.waitUntil { p in p.events(topic: "location:loc-1").contains { Self.data($0)["conversationId"] as? String == "conv-3" } }
            let frames = agent.json.filter { $0["topic"] as? String == "location:loc-1" }
            #expect(!frames.contains { Self.data($0)["conversationId"] as? String == "conv-2" }, "\(frames)")
            let removed = frames.filter { $0["kind"] as? String == "conversation.removed" }
            #expect(removed.count == 1 && Self.data(removed[0])["conversationId"] as? String == "conv-1")
            await supervisor.close()
            await agent.close()
        }
    }

    @Test("viewers: opening and leaving a conversation is announced to its location and its topic; agents online are listed to a new supervisor")
    func viewers() async throws {
        try await Harness.run { h in
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)
            let agent = try await h.subscribed("agent-1", .agent, to: "conversation:conv-1")
            let supervisor = try await h.subscribed("sup-1", .supervisor, to: "location:loc-1")
            func viewers(_ frame: [String: Any]) -> [String] { (Self.data(frame)["viewers"] as? [[String: Any]] ?? []).compactMap { $0["user"] as? String } }
            let snapshot = supervisor.events(topic: "location:loc-1")
            #expect(snapshot.contains { $0["kind"] as? String == "agent.presence" && $0["user"] as? String == "agent-1" && $0["online"] as? Bool == true })
            #expect(supervisor.viewerFrames(topic: "location:loc-1").contains { viewers($0) == ["agent-1"] })
            try await supervisor.send(#"{"op":"subscribe","topic":"conversation:conv-1"}"#)
            try await agent.waitUntil { p in p.viewerFrames(topic: "conversation:conv-1").contains { viewers($0) == ["agent-1", "sup-1"] } }
            await agent.close()
            try await supervisor.waitUntil { p in p.viewerFrames(topic: "location:loc-1").contains { viewers($0) == ["sup-1"] } }
            // Versions grow in the order the changes were made.
            let versions = supervisor.viewerFrames(topic: "location:loc-1").compactMap { Self.data($0)["version"] as? Int }
            #expect(versions == versions.sorted() && Set(versions).count == versions.count)
            await supervisor.close()
        }
    }

    @Test("presence: a second tab changes nothing; the agent goes offline when the last one closes")
    func twoTabs() async throws {
        try await Harness.run { h in
            let supervisor = try await h.subscribed("sup-1", .supervisor, to: "location:loc-1")
            func presence() -> [Bool] {
                supervisor.events(topic: "location:loc-1").filter { $0["kind"] as? String == "agent.presence" }.compactMap { $0["online"] as? Bool }
            }
            let first = try await h.connect("agent-1", .agent)
            let second = try await h.connect("agent-1", .agent)
            try await supervisor.waitUntil { _ in presence() == [true] }
            await first.close()
            // The marker: another agent comes and goes after the first tab closed.
            let other = try await h.connect("agent-2", .agent)
            await other.close()
            try await supervisor.waitUntil { _ in presence().count == 3 }
            #expect(presence() == [true, true, false])
            #expect(!supervisor.events(topic: "location:loc-1").contains { $0["user"] as? String == "agent-1" && $0["online"] as? Bool == false })
            await second.close()
            try await supervisor.waitUntil { p in p.events(topic: "location:loc-1").contains { $0["user"] as? String == "agent-1" && $0["online"] as? Bool == false } }
        }
    }

    @Test("SLA report: met, breached and open waits of the location's day")
    func slaReport() throws {
        func event(_ seq: UInt64, _ kind: EventKind, _ at: Double) -> ConversationEvent {
            ConversationEvent(conversationId: "c", seq: seq, at: at, kind: kind, data: Data("{}".utf8))
        }
        let day = 1_000_000.0
        var report = SLAReport()
        // Yesterday's wait answered yesterday does not count; today's: one met (60 s), one breached (300 s).
        report.add([event(1, .messageInbound, day - 500), event(2, .messageOutbound, day - 400),
                    event(3, .messageInbound, day + 10), event(4, .messageInbound, day + 20), event(5, .messageOutbound, day + 70),
                    event(6, .messageOutbound, day + 80),
                    event(7, .messageInbound, day + 100), event(8, .messageOutbound, day + 400)], sla: 120, dayStart: day, now: day + 1000)
        // One still waiting past the target, one waiting within it.
        report.add([event(1, .messageInbound, day + 500)], sla: 120, dayStart: day, now: day + 1000)
        report.add([event(1, .messageInbound, day + 950)], sla: 120, dayStart: day, now: day + 1000)
        #expect(report == SLAReport(answered: 2, met: 1, breached: 1, waitingOverSla: 1))
        #expect(report.metPercent == 33.3)
        #expect(SLAReport().metPercent == nil)
        let ny = try #require(TimeZone(identifier: "America/New_York"))
        // 2026-12-02 04:00 UTC is 23:00 on Dec 1 in New York.
        #expect(SLAReport.dayStart(now: 1_796_184_000, zone: ny) == 1_796_101_200)
    }

    @Test("GET /v1/locations/{id}/stats: supervisors of the location only; counts today's waits")
    func statsRoute() async throws {
        try await Harness.run { h in
            // Messages of today, in the location's day: dated now.
            let now = Date().ISO8601Format()
            #expect(try await h.post(try GHLFixture.body("inbound-sms", ["dateAdded": now])).status == .ok)
            let sup = try await h.token("sup-1", .supervisor)
            let response = try await h.client.execute(uri: "/v1/locations/loc-1/stats", method: .get, headers: [.authorization: "Bearer \(sup)"])
            #expect(response.status == .ok)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            #expect(json["timezone"] as? String == "America/New_York" && json["slaSeconds"] as? Double == 120 && json["answered"] as? Int == 0)
            #expect((json["day"] as? String)?.count == 10 && json["slaMetPercent"] == nil)
            // An agent answers within the target: one answered, met, 100%.
            let reply = try GHLFixture.body(
                "inbound-sms", ["type": "OutboundMessage", "direction": "outbound", "webhookId": "wh-out-s", "messageId": "m-out-s", "userId": "agent-1", "body": "Yes, Saturday works.", "dateAdded": now])
            #expect(try await h.post(reply).status == .ok)
            h.server.statsCache.clear()
            let after = try await h.client.execute(uri: "/v1/locations/loc-1/stats", method: .get, headers: [.authorization: "Bearer \(sup)"])
            let figures = try #require(try JSONSerialization.jsonObject(with: Data(buffer: after.body)) as? [String: Any])
            #expect(figures["answered"] as? Int == 1 && figures["met"] as? Int == 1 && figures["breached"] as? Int == 0 && figures["slaMetPercent"] as? Double == 100)
            let agent = try await h.token("agent-1", .agent)
            #expect(try await h.client.execute(uri: "/v1/locations/loc-1/stats", method: .get, headers: [.authorization: "Bearer \(agent)"]).status == .forbidden)
            let elsewhere = try await h.token("sup-2", .supervisor, ["loc-2"])
            #expect(try await h.client.execute(uri: "/v1/locations/loc-1/stats", method: .get, headers: [.authorization: "Bearer \(elsewhere)"]).status == .forbidden)
        }
    }
}

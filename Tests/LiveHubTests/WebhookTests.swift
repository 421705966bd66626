import Actors
import Coaching
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import _CryptoExtras

@testable import LiveHub
@testable import LiveHubSQLite

@Suite("Webhooks: POST /webhooks/ghl")
struct WebhookTests {
    @Test("a signed InboundMessage is stored, answered 200 after commit, and coached in order")
    func inbound() async throws {
        try await Harness.run { h in
            let body = try GHLFixture.body("inbound-sms")
            let (status, json) = try await h.post(body)
            #expect(status == .ok)
            #expect(json["ok"] as? Bool == true)
            let events = try await h.events("conv-1")
            #expect(events.map(\.seq) == Array(1...UInt64(events.count)))
            #expect(Array(events.map(\.kind).prefix(3)) == [.messageInbound, .analysis, .leadScored])
            #expect(events.contains { $0.kind == .coachingCard } && events.contains { $0.kind == .replySuggested })
            #expect((json["events"] as? Int) == events.count)
            // The exact signed bytes are what is stored.
            let stored = try await h.sqlite.database.pool.read { db in try Data.fetchOne(db, sql: "SELECT body FROM webhook WHERE id = 'wh-inbound-sms-1'") }
            #expect(stored.map(Array.init) == body)
        }
    }

    @Test("bad, missing and N/A signatures → 401, nothing stored")
    func badSignatures() async throws {
        try await Harness.run { h in
            let body = try GHLFixture.body("inbound-sms")
            let other = Curve25519.Signing.PrivateKey()
            for signature in [try other.signature(for: body).base64EncodedString(), "not base64!", "N/A", ""] as [String] {
                let (status, json) = try await h.post(body, signature: .some(signature))
                #expect(status == .unauthorized)
                #expect(json["error"] as? String == "invalid_signature")
            }
            let (status, _) = try await h.post(body, signature: .some(nil))
            #expect(status == .unauthorized)
            // A valid signature over different bytes does not verify this body.
            var tampered = body
            tampered[tampered.count - 2] = UInt8(ascii: " ")
            #expect(try await h.post(tampered, signature: .some(try h.key.signature(for: body).base64EncodedString())).status == .unauthorized)
            #expect(try await h.webhookCount() == 0)
            #expect(try await h.events("conv-1").isEmpty)
        }
    }

    @Test("legacy RSA signature accepted only when x-ghl-signature is absent and an RSA key is configured")
    func rsaFallback() async throws {
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-rsa-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let rsaFile = dir.appendingPathComponent("rsa.pem")
        try Data(rsa.publicKey.pemRepresentation.utf8).write(to: rsaFile)
        try await Harness.run(configure: { $0.ghlRSAKeyFiles = [rsaFile.path] }) { h in
            let body = try GHLFixture.body("inbound-sms")
            let rsaSig = try rsa.signature(for: body, padding: .insecurePKCS1v1_5).rawRepresentation.base64EncodedString()
            let header = HTTPFields([HTTPField(name: HTTPField.Name("x-wh-signature")!, value: rsaSig)])
            // "N/A" counts as no Ed25519 header, so the legacy RSA signature is checked.
            #expect(try await h.post(body, signature: .some("N/A"), extraHeaders: header).status == .ok)
            let second = try GHLFixture.body("inbound-sms", ["webhookId": "wh-rsa-2", "messageId": "msg-rsa-2"])
            let badEd = try Curve25519.Signing.PrivateKey().signature(for: second).base64EncodedString()
            let rsaSig2 = try rsa.signature(for: second, padding: .insecurePKCS1v1_5).rawRepresentation.base64EncodedString()
            let header2 = HTTPFields([HTTPField(name: HTTPField.Name("x-wh-signature")!, value: rsaSig2)])
            #expect(try await h.post(second, signature: .some(badEd), extraHeaders: header2).status == .unauthorized)
        }
        // Without a configured RSA key the legacy header is never enough.
        try await Harness.run { h in
            let body = try GHLFixture.body("inbound-sms")
            let rsaSig = try rsa.signature(for: body, padding: .insecurePKCS1v1_5).rawRepresentation.base64EncodedString()
            let header = HTTPFields([HTTPField(name: HTTPField.Name("x-wh-signature")!, value: rsaSig)])
            #expect(try await h.post(body, signature: .some(nil), extraHeaders: header).status == .unauthorized)
        }
    }

    @Test("bad input: 413 oversized, 400 not JSON with the reason, 422 naming the field, 200 ignored for unknown types; nothing stored")
    func badInput() async throws {
        try await Harness.run { h in
            let huge = Array("{\"type\":\"InboundMessage\",\"body\":\"\(String(repeating: "x", count: 1 << 20))\"}".utf8)
            let (s1, j1) = try await h.post(huge)
            #expect(s1 == .contentTooLarge && j1["error"] as? String == "body_too_large")

            let (s2, j2) = try await h.post(Array("{\"type\": \"InboundMessage\", ".utf8))
            #expect(s2 == .badRequest && j2["error"] as? String == "invalid_json")
            #expect(!(j2["message"] as? String ?? "").isEmpty)

            let (s3, j3) = try await h.post(try GHLFixture.body("inbound-sms", ["conversationId": NSNull()]))
            #expect(s3 == .unprocessableContent && j3["message"] as? String == "conversationId")
            let (s4, j4) = try await h.post(try GHLFixture.body("inbound-sms", ["locationId": NSNull()]))
            #expect(s4 == .unprocessableContent && j4["message"] as? String == "locationId")
            let (s5, j5) = try await h.post(try GHLFixture.body("appointment-create", ["appointment": ["title": "x"]]))
            #expect(s5 == .unprocessableContent && j5["message"] as? String == "appointment.id")

            let (s6, j6) = try await h.post(try GHLFixture.body("inbound-sms", ["type": "SomethingNew"]))
            #expect(s6 == .ok && j6["ignored"] as? Bool == true)
            #expect(try await h.webhookCount() == 0)
        }
    }

    @Test("duplicates by webhookId and by messageId → 200 duplicate, one set of events, even when concurrent")
    func duplicates() async throws {
        try await Harness.run { h in
            let body = try GHLFixture.body("inbound-sms")
            #expect(try await h.post(body).json["ok"] as? Bool == true)
            let count = try await h.events("conv-1").count
            let (status, json) = try await h.post(body)
            #expect(status == .ok && json["duplicate"] as? Bool == true)
            let sameMessage = try GHLFixture.body("inbound-sms", ["webhookId": "wh-other"])
            #expect(try await h.post(sameMessage).json["duplicate"] as? Bool == true)
            #expect(try await h.events("conv-1").count == count)

            let burst = try GHLFixture.body("inbound-sms", ["webhookId": "wh-burst", "messageId": "msg-burst", "conversationId": "conv-burst"])
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<12 { group.addTask { try await h.post(burst).json["ok"] as? Bool == true } }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            let burstEvents = try await h.events("conv-burst")
            #expect(burstEvents.filter { $0.kind == .messageInbound }.count == 1)
        }
    }

    @Test("replay window: a timestamp older than the window is refused")
    func replayWindow() async throws {
        try await Harness.run(configure: { $0.replayWindow = .seconds(300) }) { h in
            let old = try GHLFixture.body("inbound-sms", ["timestamp": Date().addingTimeInterval(-3600).ISO8601Format()], fresh: false)
            let (status, json) = try await h.post(old)
            #expect(status == .badRequest && json["error"] as? String == "stale_webhook")
            #expect(try await h.webhookCount() == 0)
        }
    }

    @Test("many concurrent webhooks for one conversation: gap-free seq and every message once")
    func concurrentConversation() async throws {
        try await Harness.run { h in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        let body = try GHLFixture.body("inbound-sms", ["webhookId": "wh-c-\(i)", "messageId": "msg-c-\(i)", "body": "message \(i), can we see it?"])
                        #expect(try await h.post(body).status == .ok)
                    }
                }
                try await group.waitForAll()
            }
            let events = try await h.events("conv-1")
            #expect(events.map(\.seq) == Array(1...UInt64(events.count)))
            let texts = try events.filter { $0.kind == .messageInbound }.map { try $0.decode(MessagePayload.self).text }
            #expect(Set(texts).count == 40)
        }
    }

    @Test("routing: contact profile (envelope), DND, deal, appointment, calls; doc-bug direction recorded")
    func routing() async throws {
        try await Harness.run { h in
            #expect(try await h.post(try GHLFixture.body("contact-create-envelope")).status == .ok)
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)
            var kinds = try await h.events("conv-1").map(\.kind)
            #expect(kinds.first == .contactUpdated && kinds.contains(.assignmentChanged))
            for name in ["contact-dnd-update", "opportunity-status-update", "appointment-create", "outbound-call", "inbound-call-documented"] {
                #expect(try await h.post(try GHLFixture.body(name)).status == .ok, "\(name)")
            }
            let events = try await h.events("conv-1")
            kinds = events.map(\.kind)
            #expect(kinds.contains(.optOutChanged) && kinds.contains(.dealUpdated) && kinds.contains(.appointmentBooked))
            let optOut = try #require(events.last { $0.kind == .optOutChanged }).decode(OptOutPayload.self)
            #expect(optOut.channels == ["SMS"])
            let calls = try events.filter { $0.kind == .messageOutbound }.map { try $0.decode(MessagePayload.self) }
            #expect(calls.first?.callDuration == 184 && calls.first?.recordingURL == "https://recordings.example/call-1.mp3")
            #expect(calls.last?.direction == "inbound" && calls.last?.callDuration == 95)
            let summary = try #require(try await h.server.storage.conversations.state(conversationId: "conv-1"))
            #expect(summary.contactName == "Dana Reyes" && summary.assignedTo == "agent-1")
        }
    }

    @Test("UNINSTALL stops accepting the location's webhooks; INSTALL resumes")
    func uninstall() async throws {
        try await Harness.run { h in
            #expect(try await h.post(try GHLFixture.body("uninstall")).status == .ok)
            let message = try GHLFixture.body("inbound-sms", ["locationId": "loc-2", "conversationId": "conv-l2", "webhookId": "wh-l2", "messageId": "msg-l2"])
            let (status, json) = try await h.post(message)
            #expect(status == .ok && json["reason"] as? String == "location_uninstalled")
            #expect(try await h.events("conv-l2").isEmpty)
            #expect(try await h.post(try GHLFixture.body("install")).status == .ok)
            #expect(try await h.post(message).json["ok"] as? Bool == true)
        }
    }

    @Test("restart: history survives and seq continues")
    func restart() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-restart-\(UUID().uuidString)")
        let key = Curve25519.Signing.PrivateKey()
        let first = try await Harness.run(dataDirectory: dir, key: key) { h in
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)
            return try await h.events("conv-1")
        }
        try await Harness.run(dataDirectory: dir, key: key) { h in
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).json["duplicate"] as? Bool == true)
            let next = try GHLFixture.body("inbound-sms", ["webhookId": "wh-after-restart", "messageId": "msg-after", "body": "thanks, see you then"])
            #expect(try await h.post(next).status == .ok)
            let all = try await h.events("conv-1")
            #expect(Array(all.prefix(first.count)) == first)
            #expect(all.map(\.seq) == Array(1...UInt64(all.count)))
            #expect(all.count > first.count)
            // A client that saw the first run's events resumes where it stopped.
            let agent = try await h.connect("agent-1", .agent)
            try await agent.send(#"{"op":"subscribe","topic":"conversation:conv-1","since":\#(first.count)}"#)
            try await agent.waitUntil { $0.seqs(topic: "conversation:conv-1").count == all.count - first.count }
            #expect(agent.seqs(topic: "conversation:conv-1") == Array((first.count + 1)...all.count))
            await agent.close()
        }
    }
}

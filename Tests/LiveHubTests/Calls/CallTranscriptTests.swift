import Actors
import Foundation
import Testing

@testable import LiveHub

/// Calls coached from their transcripts, against the fake GHL's transcription endpoint.
@Suite("Calls: transcripts fetched, attributed and coached", .serialized)
struct CallTranscriptTests {
    static let transcript = """
        [{"mediaChannel":2,"sentenceIndex":1,"startTime":2.0,"endTime":3.1,"transcript":"Sure, happy to help.","confidence":0.91},
         {"mediaChannel":1,"sentenceIndex":0,"startTime":0.4,"endTime":1.9,"transcript":"Hi, I'm calling about the house on Oak Ridge.","confidence":0.93},
         {"mediaChannel":1,"sentenceIndex":2,"startTime":3.5,"endTime":7.0,"transcript":"Honestly the price is too high for us. We could do 415,000.","confidence":0.88},
         {"mediaChannel":2,"sentenceIndex":3,"startTime":7.4,"endTime":9.9,"transcript":"I'll take that to the seller and call you back tomorrow.","confidence":0.9}]
        """

    /// Fast retries for tests: first fetch after 50 ms, then 50, 100, 200 ms; four attempts.
    static func configure(_ base: String) throws -> @Sendable (inout ServerConfiguration) -> Void {
        let ghl = try ghlConfiguration(base)
        return { c in
            ghl(&c)
            c.transcriptPolicy = TranscriptPolicy(firstDelay: 0.05, backoff: 0.05, maxBackoff: 1, maxAttempts: 4, watchdog: 30)
        }
    }

    func kinds(_ events: [ConversationEvent]) -> [String] { events.map(\.kind.rawValue) }

    @Test("ready at once: call.transcribed with the lead on the caller's channel, then analysis, score, cards and the call summary")
    func readyAtOnce() async throws {
        let fake = FakeGHL()
        fake.scriptTranscript("msg-call-2", .ready(Self.transcript))
        try await fake.run { base in
            try await Harness.run(configure: try Self.configure(base)) { h in
                try await h.seedConversation()
                #expect(try await h.post(try GHLFixture.body("inbound-call-documented")).status == .ok)
                let events = try await h.waitForEvents("conv-1") { $0.contains { $0.kind == .callTranscribed } }
                let call = try #require(events.first { $0.kind == .callTranscribed }).decode(CallTranscribedPayload.self)
                #expect(call.messageId == "msg-call-2" && call.durationSeconds == 95 && call.attribution == "direction")
                #expect(call.sentences.map(\.speaker.rawValue) == ["lead", "agent", "lead", "agent"])
                #expect(call.sentences.first?.text == "Hi, I'm calling about the house on Oak Ridge.")
                let after = events.drop { $0.kind != .callTranscribed }.map(\.kind.rawValue)
                #expect(after.contains("analysis") && after.contains("lead.scored") && after.contains("coaching.card"))
                let cards = events.filter { $0.kind == .coachingCard }.compactMap { try? $0.decode(CardJSON.self) }
                let summary = try #require(cards.first { $0.templateId == "call.summary" })
                #expect(summary.kind == "call.summary")
                let lines = summary.body.split(separator: "\n")
                #expect((3...5).contains(lines.count), "\(summary.body)")
                #expect(summary.body.contains("415,000"))
            }
        }
        #expect(fake.transcriptRequests.count == 1)
        #expect(fake.transcriptRequests.first?.version == "2021-04-15" && fake.transcriptRequests.first?.authorization == "Bearer pit-loc-1")
    }

    @Test("ready after two 404s: three fetches, then the transcript")
    func afterTwoNotFound() async throws {
        let fake = FakeGHL()
        fake.scriptTranscript("msg-call-2", .notFound, .notFound, .ready(Self.transcript))
        try await fake.run { base in
            try await Harness.run(configure: try Self.configure(base)) { h in
                try await h.seedConversation()
                #expect(try await h.post(try GHLFixture.body("inbound-call-documented")).status == .ok)
                let events = try await h.waitForEvents("conv-1") { $0.contains { $0.kind == .callTranscribed } }
                #expect(!events.contains { $0.kind == .callTranscriptionFailed })
            }
        }
        #expect(fake.transcriptRequests.count == 3)
    }

    @Test("never ready: four fetches with backoff, then call.transcription_failed with the reason; a 403 gives up at once")
    func neverReady() async throws {
        let fake = FakeGHL()
        fake.scriptTranscript("msg-call-3", .status(403))
        try await fake.run { base in
            try await Harness.run(configure: try Self.configure(base)) { h in
                try await h.seedConversation()
                #expect(try await h.post(try GHLFixture.body("inbound-call-documented")).status == .ok)
                let events = try await h.waitForEvents("conv-1") { $0.contains { $0.kind == .callTranscriptionFailed } }
                let failed = try #require(events.first { $0.kind == .callTranscriptionFailed }).decode(CallTranscriptionFailedPayload.self)
                #expect(failed.messageId == "msg-call-2" && failed.attempts == 4 && failed.reason.contains("404"))
                #expect(!events.contains { $0.kind == .callTranscribed })
                // Nothing is pending any more: no timer, no stored work.
                #expect(try await h.server.storage.conversations.state(conversationId: "conv-1")?.pendingCalls == nil)
                #expect(fake.transcriptRequests.count == 4)

                #expect(try await h.post(try GHLFixture.body("inbound-call-documented", ["webhookId": "wh-call-3", "messageId": "msg-call-3"])).status == .ok)
                let more = try await h.waitForEvents("conv-1") { $0.filter { $0.kind == .callTranscriptionFailed }.count == 2 }
                let refused = try #require(more.last { $0.kind == .callTranscriptionFailed }).decode(CallTranscriptionFailedPayload.self)
                #expect(refused.messageId == "msg-call-3" && refused.attempts == 1 && refused.reason.contains("403"))
            }
        }
        #expect(fake.transcriptRequests.count == 5)
    }

    @Test("a call with an offer moves the negotiation: the lead's price heard on the call is a buyer offer from the call")
    func callMovesNegotiation() async throws {
        let fake = FakeGHL()
        fake.scriptTranscript("msg-call-2", .ready(Self.transcript))
        try await fake.run { base in
            try await Harness.run(configure: try Self.configure(base)) { h in
                try await h.seedConversation()
                #expect(try await h.post(try GHLFixture.body("opportunity-status-update")).status == .ok)  // opp-1 at $430,000
                #expect(try await h.post(try GHLFixture.body("inbound-call-documented")).status == .ok)
                let conversation = try await h.waitForEvents("conv-1") { $0.contains { $0.kind == .negotiationOpened } }
                let link = try #require(conversation.first { $0.kind == .negotiationOpened }).decode(NegotiationLinkPayload.self)
                #expect(link.negotiationId == "opp-1" && link.openedBy == "prices")
                let session = try await h.waitForEvents("negotiation:opp-1") { $0.contains { $0.kind == .negotiationUpdated } }
                let offers = session.filter { $0.kind == .negotiationOffer }.compactMap { try? $0.decode(NegotiationOfferPayload.self).offer }
                #expect(offers.map(\.source) == [.call] && offers.first?.party == .buyer && offers.first?.amount == 415_000, "\(offers)")
                let update = try #require(session.last { $0.kind == .negotiationUpdated }).decode(NegotiationUpdatePayload.self)
                #expect(update.changes.first == "Buyer offered $415,000 on a call.")
                // The conversation's watchers get the advice in their own stream.
                _ = try await h.waitForEvents("conv-1") { $0.contains { $0.kind == .negotiationUpdated } }
            }
        }
    }

    @Test("an opt-out said in the middle of a long call is final: every channel, an alert, and replies refused")
    func optOutOnCall() async throws {
        var sentences: [String] = []
        for i in 0..<120 {
            let text = i == 60 ? "Look, please take me off your list and stop calling me." : "We talked about the kitchen and the yard and the schools nearby, item \(i)."
            sentences.append(#"{"mediaChannel":\#(i % 2 == 0 ? 1 : 2),"sentenceIndex":\#(i),"transcript":"\#(text)"}"#)
        }
        let fake = FakeGHL()
        fake.scriptTranscript("msg-call-2", .ready("[" + sentences.joined(separator: ",") + "]"))
        try await fake.run { base in
            try await Harness.run(configure: try Self.configure(base)) { h in
                try await h.seedConversation()
                #expect(try await h.post(try GHLFixture.body("inbound-call-documented")).status == .ok)
                let events = try await h.waitForEvents("conv-1") { $0.contains { $0.kind == .optOutChanged } }
                let optOut = try #require(events.first { $0.kind == .optOutChanged }).decode(OptOutPayload.self)
                #expect(optOut.source == "call" && optOut.channels.contains("all"))
                #expect(events.contains { $0.kind == .alert })
                let agent = try await h.connect("agent-1", .agent)
                try await agent.send(#"{"op":"reply.send","conversationId":"conv-1","text":"Sorry to hear that"}"#)
                try await agent.waitUntil { !$0.frames(type: "error").isEmpty }
                #expect(agent.frames(type: "error").first?["code"] as? String == "opted_out")
                await agent.close()
            }
        }
    }

    @Test("a voicemail, a missed call and a call still ringing fetch nothing")
    func nothingToFetch() async throws {
        let fake = FakeGHL()
        try await fake.run { base in
            try await Harness.run(configure: try Self.configure(base)) { h in
                try await h.seedConversation()
                let calls: [[String: Any]] = [
                    ["webhookId": "wh-vm", "messageId": "msg-vm", "type": "InboundMessage", "status": "voicemail", "callStatus": NSNull(), "callDuration": NSNull()],
                    ["webhookId": "wh-vm2", "messageId": "msg-vm2", "status": "voicemail", "callStatus": "voicemail", "callDuration": 30],
                    ["webhookId": "wh-missed", "messageId": "msg-missed", "status": "no-answer", "callStatus": "no-answer", "callDuration": 0],
                    ["webhookId": "wh-pending", "messageId": "msg-pending", "status": "pending", "callStatus": "pending"],
                ]
                for overrides in calls { #expect(try await h.post(try GHLFixture.body("inbound-call-documented", overrides)).status == .ok) }
                try await Task.sleep(for: .milliseconds(600))
                let events = try await h.events("conv-1")
                #expect(!events.contains { $0.kind == .callTranscribed || $0.kind == .callTranscriptionFailed })
                #expect(try await h.server.storage.conversations.state(conversationId: "conv-1")?.pendingCalls == nil)
            }
        }
        #expect(fake.transcriptRequests.isEmpty)
    }
}

/// A coaching card as stored (the fields the tests read).
struct CardJSON: Decodable {
    let kind: String
    let title: String
    let body: String
    let templateId: String?
}

extension Harness {
    /// The conversation's stored events, once `done` holds of them (polling; 20 s at most).
    func waitForEvents(_ conversationId: String, timeout: Duration = .seconds(20), _ done: ([ConversationEvent]) -> Bool) async throws -> [ConversationEvent] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let events = try await self.events(conversationId)
            if done(events) { return events }
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out; events: \(events.map(\.kind.rawValue))")
                return events
            }
            try await Task.sleep(for: .milliseconds(25))
        }
    }
}

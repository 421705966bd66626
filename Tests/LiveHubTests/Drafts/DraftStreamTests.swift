import Actors
import Foundation
import LiveHubLLM
import LiveHubTools
import Testing

@testable import LiveHub

/// `reply.draft` end to end: a real server, a real WebSocket, and a local fake provider that
/// replays recorded streams byte for byte.
@Suite("AI drafts streamed to the agent", .serialized)
struct DraftStreamTests {
    static func recorded(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: GHLFixture.root.appendingPathComponent("Fixtures/llm/\(name).sse")))
    }

    /// An OpenAI-compatible stream whose text is `text`, cut into words.
    static func openAIStream(_ text: String) -> [UInt8] {
        var s = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).enumerated().map({ $0.offset == 0 ? String($0.element) : " " + $0.element }) {
            let escaped = String(decoding: (try? JSONEncoder().encode(word)) ?? Data(), as: UTF8.self)
            s += #"data: {"choices":[{"index":0,"delta":{"content":\#(escaped)}}]}"# + "\n\n"
        }
        s += #"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"# + "\n\ndata: [DONE]\n\n"
        return Array(s.utf8)
    }

    static func configure(_ fake: RecordedStreamServer, provider: ReplyModelConfiguration.Provider, firstToken: Duration = .seconds(8)) -> @Sendable (inout ServerConfiguration) -> Void {
        { c in c.replyModel = ReplyModelConfiguration(provider: provider, baseURL: fake.baseURL, apiKey: "sk-test-secret", model: "test-model", firstTokenTimeout: firstToken) }
    }

    func enableDrafts(_ h: Harness, maxPerHour: Int = 60) {
        var s = h.server.autoSettings.settings(for: "loc-1")
        s.drafts = DraftSettings(enabled: true, maxPerHour: maxPerHour)
        h.server.autoSettings.set(s, for: "loc-1")
    }

    func draftFrames(_ p: WSProbe) -> [[String: Any]] { p.json.filter { ($0["type"] as? String)?.hasPrefix("reply.draft") == true } }

    @Test("a recorded Anthropic stream reaches the agent as deltas, then done with the whole text; the prompt holds the conversation")
    func anthropicStream() async throws {
        let fake = try await RecordedStreamServer.start()
        let bytes = try Self.recorded("anthropic-basic")
        fake.enqueue(.stream(bytes, splits: Array(stride(from: 7, to: bytes.count, by: 29))))
        try await Harness.run(configure: Self.configure(fake, provider: .anthropic)) { h in
            try await h.seedConversation()
            enableDrafts(h)
            let agent = try await h.connect("agent-1", .agent)
            try await agent.send(#"{"op":"reply.draft","conversationId":"conv-1","instruction":"offer Saturday at 2"}"#)
            try await agent.waitUntil { p in draftFrames(p).contains { $0["type"] as? String != "reply.draft.delta" } }
            let frames = draftFrames(agent)
            let deltas = frames.filter { $0["type"] as? String == "reply.draft.delta" }.compactMap { $0["text"] as? String }
            let done = try #require(frames.last)
            #expect(done["type"] as? String == "reply.draft.done", "\(done)")
            #expect(!deltas.isEmpty && deltas.joined() == done["text"] as? String)
            #expect(done["model"] as? String == "test-model" && done["latencyMs"] is Int)
            let request = try #require(fake.requests.first).json()
            let user = try #require((request["messages"] as? [[String: Any]])?.first?["content"] as? String)
            #expect(user.contains("Is the house on Oak Ridge still available?") && user.contains("offer Saturday at 2"))
            #expect(fake.requests.first?.headers["x-api-key"] == "sk-test-secret")
            await agent.close()
        }
        try await fake.stop()
    }

    @Test("a mid-stream error and a stream with no first token in time give the playbook's replies with the reason")
    func failures() async throws {
        let fake = try await RecordedStreamServer.start()
        fake.enqueue(.stream(try Self.recorded("anthropic-midstream-error")))
        fake.enqueue(.stream(try Self.recorded("anthropic-basic"), delayBeforeFirstByte: .seconds(2)))
        try await Harness.run(configure: Self.configure(fake, provider: .anthropic, firstToken: .milliseconds(400))) { h in
            try await h.seedConversation()
            enableDrafts(h)
            let agent = try await h.connect("agent-1", .agent)
            try await agent.send(#"{"op":"reply.draft","conversationId":"conv-1"}"#)
            try await agent.waitUntil { p in draftFrames(p).contains { $0["type"] as? String == "reply.draft.failed" } }
            try await agent.send(#"{"op":"reply.draft","conversationId":"conv-1"}"#)
            try await agent.waitUntil { p in draftFrames(p).filter { $0["type"] as? String == "reply.draft.failed" }.count == 2 }
            let failed = draftFrames(agent).filter { $0["type"] as? String == "reply.draft.failed" }
            #expect((failed[0]["reason"] as? String)?.contains("overloaded") == true, "\(failed[0])")
            #expect((failed[1]["reason"] as? String)?.contains("no reply text within 0.4 s") == true, "\(failed[1])")
            for f in failed { #expect(((f["replies"] as? [[String: Any]]) ?? []).isEmpty == false) }
            await agent.close()
        }
        try await fake.stop()
    }

    @Test("guardrails on the finished text: an invented price is flagged and not sendable; opt-out, drafts off and the hourly quota refuse before the model")
    func guardrailsAndRefusals() async throws {
        let fake = try await RecordedStreamServer.start()
        fake.enqueue(.stream(Self.openAIStream("Great news, the sellers will accept $399,000 if you sign today.")))
        fake.enqueue(.stream(Self.openAIStream("Saturday after 2 works. Want me to book a showing?")))
        try await Harness.run(configure: Self.configure(fake, provider: .openai)) { h in
            try await h.seedConversation()
            let agent = try await h.connect("agent-1", .agent)
            try await agent.send(#"{"op":"reply.draft","conversationId":"conv-1"}"#)
            try await agent.waitUntil { !draftFrames($0).isEmpty }
            #expect(draftFrames(agent).last?["reason"] as? String == "drafts are off for this location")
            enableDrafts(h, maxPerHour: 2)
            for _ in 0..<3 { try await agent.send(#"{"op":"reply.draft","conversationId":"conv-1"}"#) }
            try await agent.waitUntil { p in draftFrames(p).filter { $0["type"] as? String != "reply.draft.delta" }.count == 4 }
            let ends = draftFrames(agent).filter { $0["type"] as? String != "reply.draft.delta" }.dropFirst()
            let done = ends.filter { $0["type"] as? String == "reply.draft.done" }
            #expect(done.count == 2 && ends.contains { ($0["reason"] as? String)?.contains("drafts this hour") == true })
            let invented = try #require(done.first { ($0["text"] as? String)?.contains("399,000") == true })
            #expect(invented["sendable"] as? Bool == false)
            #expect(((invented["flags"] as? [[String: Any]]) ?? []).contains { $0["kind"] as? String == "unsupported_price" })
            let fine = try #require(done.first { ($0["text"] as? String)?.contains("Saturday") == true })
            #expect(fine["sendable"] as? Bool == true, "\(fine)")
            // After an opt-out: no draft, no model call, no playbook replies.
            #expect(try await h.post(try GHLFixture.body("inbound-sms", ["webhookId": "wh-stop", "messageId": "m-stop", "body": "STOP"])).status == .ok)
            let asked = fake.requests.count
            try await agent.send(#"{"op":"reply.draft","conversationId":"conv-1"}"#)
            try await agent.waitUntil { p in (draftFrames(p).last?["reason"] as? String)?.contains("opted out") == true }
            #expect((draftFrames(agent).last?["replies"] as? [Any])?.isEmpty == true && fake.requests.count == asked)
            await agent.close()
        }
        try await fake.stop()
    }

    @Test("closing the socket mid-draft cancels the model's request")
    func cancelledWithSocket() async throws {
        let fake = try await RecordedStreamServer.start()
        let bytes = Self.openAIStream("one two three four five six")
        fake.enqueue(.stream(bytes, splits: Array(stride(from: 40, to: bytes.count, by: 40)), delayBetweenWrites: .seconds(3), ending: .hold))
        try await Harness.run(configure: Self.configure(fake, provider: .openai)) { h in
            try await h.seedConversation()
            enableDrafts(h)
            let agent = try await h.connect("agent-1", .agent)
            try await agent.send(#"{"op":"reply.draft","conversationId":"conv-1"}"#)
            try await agent.waitUntil { p in draftFrames(p).contains { $0["type"] as? String == "reply.draft.delta" } }
            await agent.close()
            for _ in 0..<200 where fake.abortedCount == 0 { try await Task.sleep(for: .milliseconds(25)) }
            #expect(fake.abortedCount == 1)
        }
        try await fake.stop()
    }

    @Test("a hot lead gets a draft nobody asked for, streamed to the assigned agent's topic; not when the setting is off")
    func hotLeadDraft() async throws {
        let fake = try await RecordedStreamServer.start()
        fake.enqueue(.stream(Self.openAIStream("Happy to show it today at 5. Does that work?")))
        try await Harness.run(configure: Self.configure(fake, provider: .openai)) { h in
            try await h.seedConversation()
            enableDrafts(h)
            let hot = "We're pre-approved for 450k, cash ready, and want to make an offer this week. Can we see it today at 5?"
            #expect(try await h.post(try GHLFixture.body("inbound-sms", ["webhookId": "wh-hot-0", "messageId": "m-hot-0", "body": hot])).status == .ok)
            let agent = try await h.subscribed("agent-1", .agent, to: "agent:agent-1")
            var s = h.server.autoSettings.settings(for: "loc-1")
            s.drafts.autoForHotLeads = true
            h.server.autoSettings.set(s, for: "loc-1")
            #expect(try await h.post(try GHLFixture.body("inbound-sms", ["webhookId": "wh-hot-1", "messageId": "m-hot-1", "body": hot])).status == .ok)
            let scored = try await h.waitForEvents("conv-1") { $0.filter { $0.kind == .leadScored }.count >= 3 }
            #expect(try scored.last { $0.kind == .leadScored }?.decode(LeadScoreJSON.self).tier == "hot")
            try await agent.waitUntil { p in draftFrames(p).contains { $0["type"] as? String == "reply.draft.done" } }
            let frames = draftFrames(agent)
            #expect(frames.allSatisfy { $0["trigger"] as? String == "hot_lead" && $0["conversationId"] as? String == "conv-1" })
            #expect(frames.last?["text"] as? String == "Happy to show it today at 5. Does that work?")
            #expect(fake.requests.count == 1)  // the first hot message, with the setting off, asked nothing
            await agent.close()
        }
        try await fake.stop()
    }
}

struct LeadScoreJSON: Decodable {
    let score: Int
    let tier: String
}

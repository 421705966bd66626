import Foundation
import LiveHubLLM
import LiveHubTools
import Testing

@Suite("Reply models over HTTP against the recorded streams")
struct RecordedReplayTests {
    @Test("each file replayed cut in two at every byte offset gives the same reply every time", arguments: RecordedStreams.all)
    func everyOffset(expected: RecordedStreams.Expectation) async throws {
        let bytes = try RecordedStreams.bytes(expected.file)
        let server = try await RecordedStreamServer.start()
        let model = ReplyStreamClient.model(ReplyStreamClient.configuration(expected.provider, server: server))
        let want = DecodedReply(text: expected.text, finished: expected.finished, failure: expected.failure)
        for cut in 0...bytes.count {
            server.enqueue(.stream(bytes, splits: [cut]))
            let reply = await ReplyStreamClient.collect(model.stream(ReplyStreamClient.prompt))
            #expect(reply == want, "cut at \(cut)")
            if reply != want { break }
        }
        // Also a write per byte, paced, so each byte arrives on its own.
        server.enqueue(.stream(bytes, splits: Array(1..<bytes.count), delayBetweenWrites: .microseconds(200)))
        #expect(await ReplyStreamClient.collect(model.stream(ReplyStreamClient.prompt)) == want)
        #expect(server.requests.count == bytes.count + 2)
        try await server.stop()
    }

    @Test("a delta reaches the consumer as soon as its bytes arrive, before the rest of the stream")
    func deltasAreStreamed() async throws {
        let bytes = try RecordedStreams.bytes("anthropic-basic")
        let firstDeltaEnd = try #require(RecordedStreams.offset(after: "\"Hello\"}}\n\n", in: bytes))
        let server = try await RecordedStreamServer.start()
        server.enqueue(.stream(bytes, splits: [firstDeltaEnd], delayBetweenWrites: .seconds(3)))
        let model = ReplyStreamClient.model(ReplyStreamClient.configuration(.anthropic, server: server))
        let clock = ContinuousClock()
        let start = clock.now
        var iterator = model.stream(ReplyStreamClient.prompt).makeAsyncIterator()
        #expect(try await iterator.next() == .delta("Hello"))
        // Long before the rest of the stream is written, 3 s later.
        #expect(clock.now - start < .milliseconds(2000))
        let firstByte = try #require(server.firstByteTimes.first)
        #expect(clock.now - firstByte < .milliseconds(1500))
        var rest = ""
        while let event = try await iterator.next() { if case .delta(let text) = event { rest += text } }
        #expect(rest == " there!")
        try await server.stop()
    }

    @Test("the Anthropic request has the path, headers and body of the Messages API")
    func anthropicRequest() async throws {
        let server = try await RecordedStreamServer.start()
        server.enqueue(.stream(try RecordedStreams.bytes("anthropic-basic")))
        let model = ReplyStreamClient.model(ReplyStreamClient.configuration(.anthropic, server: server))
        #expect(model.modelName == "claude-test")
        _ = await ReplyStreamClient.collect(model.stream(ReplyStreamClient.prompt))
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/v1/messages")
        #expect(request.headers["x-api-key"] == ReplyStreamClient.apiKey)
        #expect(request.headers["anthropic-version"] == "2023-06-01")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["authorization"] == nil)
        let body = try request.json()
        #expect(body["model"] as? String == "claude-test")
        #expect(body["max_tokens"] as? Int == 200)
        #expect(body["stream"] as? Bool == true)
        #expect(body["system"] as? String == ReplyStreamClient.prompt.system)
        let messages = try #require(body["messages"] as? [[String: String]])
        #expect(messages == ReplyStreamClient.prompt.messages.map { ["role": $0.role.rawValue, "content": $0.content] })
        try await server.stop()
    }

    @Test("the OpenAI-compatible request has the path, Bearer header and body of chat completions; no key, no header")
    func openAIRequest() async throws {
        let server = try await RecordedStreamServer.start()
        let bytes = try RecordedStreams.bytes("openai-basic")
        server.enqueue(.stream(bytes))
        server.enqueue(.stream(bytes))
        let withKey = ReplyStreamClient.model(ReplyStreamClient.configuration(.openai, server: server))
        _ = await ReplyStreamClient.collect(withKey.stream(ReplyStreamClient.prompt))
        var noSystem = ReplyStreamClient.prompt
        noSystem.system = ""
        noSystem.maxTokens = 5000
        let keyless = ReplyStreamClient.model(ReplyStreamClient.configuration(.openai, server: server, apiKey: nil))
        _ = await ReplyStreamClient.collect(keyless.stream(noSystem))
        let requests = server.requests
        try #require(requests.count == 2)
        #expect(requests[0].path == "/v1/chat/completions")
        #expect(requests[0].headers["authorization"] == "Bearer \(ReplyStreamClient.apiKey)")
        #expect(requests[0].headers["content-type"] == "application/json")
        #expect(requests[0].headers["x-api-key"] == nil)
        let body = try requests[0].json()
        #expect(body["model"] as? String == "gpt-test")
        #expect(body["stream"] as? Bool == true)
        #expect((body["stream_options"] as? [String: Bool]) == ["include_usage": true])
        #expect(body["max_tokens"] as? Int == 200)
        let messages = try #require(body["messages"] as? [[String: String]])
        #expect(messages.first == ["role": "system", "content": ReplyStreamClient.prompt.system])
        #expect(Array(messages.dropFirst()) == ReplyStreamClient.prompt.messages.map { ["role": $0.role.rawValue, "content": $0.content] })

        #expect(requests[1].headers["authorization"] == nil)
        let keylessBody = try requests[1].json()
        // No system message when the prompt has none; max_tokens capped by the configuration.
        #expect((keylessBody["messages"] as? [[String: String]])?.first?["role"] == "user")
        #expect(keylessBody["max_tokens"] as? Int == 300)
        try await server.stop()
    }

    @Test("a base URL with a trailing /v1/ is not doubled")
    func baseURLWithVersion() async throws {
        let server = try await RecordedStreamServer.start()
        server.enqueue(.stream(try RecordedStreams.bytes("openai-basic")))
        var configuration = ReplyStreamClient.configuration(.openai, server: server)
        configuration.baseURL = server.baseURL + "/v1/"
        let reply = await ReplyStreamClient.collect(ReplyStreamClient.model(configuration).stream(ReplyStreamClient.prompt))
        #expect(reply.text == "Foo.")
        #expect(server.requests.first?.path == "/v1/chat/completions")
        try await server.stop()
    }
}

import Foundation
import LiveHubLLM
import LiveHubTools
import Testing

@Suite("Reply model failures over HTTP")
struct ReplyModelFailureTests {
    static let anthropicErrors: [(Int, String)] = [
        (400, "invalid_request_error"), (401, "authentication_error"), (429, "rate_limit_error"), (500, "api_error"), (529, "overloaded_error"),
    ]

    @Test("Anthropic non-200 replies map to rejected with the status and the error type and message")
    func anthropicRejections() async throws {
        let server = try await RecordedStreamServer.start()
        let model = ReplyStreamClient.model(ReplyStreamClient.configuration(.anthropic, server: server))
        for (status, type) in Self.anthropicErrors {
            server.enqueue(.status(status, #"{"type":"error","error":{"type":"\#(type)","message":"Message for \#(status)."}}"#))
            let reply = await ReplyStreamClient.collect(model.stream(ReplyStreamClient.prompt))
            #expect(reply == DecodedReply(failure: .rejected(status: status, type: type, message: "Message for \(status).")))
        }
        try await server.stop()
    }

    @Test("OpenAI-compatible non-200 replies: OpenAI's error object, Ollama's string, a non-JSON body")
    func openAIRejections() async throws {
        let server = try await RecordedStreamServer.start()
        let model = ReplyStreamClient.model(ReplyStreamClient.configuration(.openai, server: server))
        server.enqueue(.status(401, #"{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#))
        server.enqueue(.status(404, #"{"error":"model \"llama9\" not found, try pulling it first"}"#))
        server.enqueue(.status(502, "<html><body>Bad Gateway</body></html>\n<p>nginx</p>"))
        #expect(await ReplyStreamClient.collect(model.stream(ReplyStreamClient.prompt)).failure
            == .rejected(status: 401, type: "invalid_request_error", message: "Incorrect API key provided."))
        #expect(await ReplyStreamClient.collect(model.stream(ReplyStreamClient.prompt)).failure
            == .rejected(status: 404, type: nil, message: #"model "llama9" not found, try pulling it first"#))
        #expect(await ReplyStreamClient.collect(model.stream(ReplyStreamClient.prompt)).failure
            == .rejected(status: 502, type: nil, message: "<html><body>Bad Gateway</body></html>"))
        try await server.stop()
    }

    @Test("no first byte within the first-token timeout ends the stream promptly with firstTokenTimeout")
    func firstTokenTimeoutBeforeAnyByte() async throws {
        let server = try await RecordedStreamServer.start()
        server.enqueue(.stream(try RecordedStreams.bytes("anthropic-basic"), delayBeforeFirstByte: .seconds(5)))
        let model = ReplyStreamClient.model(ReplyStreamClient.configuration(.anthropic, server: server, firstToken: .milliseconds(200)))
        let clock = ContinuousClock()
        let start = clock.now
        let reply = await ReplyStreamClient.collect(model.stream(ReplyStreamClient.prompt))
        let elapsed = clock.now - start
        #expect(reply == DecodedReply(failure: .firstTokenTimeout(seconds: 0.2)))
        // Well before the server's 5 s; loose enough for a loaded CI machine.
        #expect(elapsed >= .milliseconds(190) && elapsed < .milliseconds(2500), "took \(elapsed)")
        try await server.stop()
    }

    @Test("bytes without text (message_start, pings) do not satisfy the first-token timeout")
    func firstTokenTimeoutAfterHead() async throws {
        let bytes = try RecordedStreams.bytes("anthropic-basic")
        let beforeText = try #require(RecordedStreams.offset(after: "\"type\": \"ping\"}\n\n", in: bytes))
        let server = try await RecordedStreamServer.start()
        server.enqueue(.stream(Array(bytes[..<beforeText]), splits: [100, 200], delayBetweenWrites: .milliseconds(50), ending: .hold))
        let model = ReplyStreamClient.model(ReplyStreamClient.configuration(.anthropic, server: server, firstToken: .milliseconds(400)))
        let clock = ContinuousClock()
        let start = clock.now
        let reply = await ReplyStreamClient.collect(model.stream(ReplyStreamClient.prompt))
        #expect(reply == DecodedReply(failure: .firstTokenTimeout(seconds: 0.4)))
        #expect(clock.now - start < .milliseconds(2500))
        try await server.stop()
    }

    @Test("a stream that goes quiet after its first text ends with stalled after the idle timeout", arguments: [ReplyModelConfiguration.Provider.anthropic, .openai])
    func stalled(provider: ReplyModelConfiguration.Provider) async throws {
        let file = provider == .anthropic ? "anthropic-basic" : "openai-basic"
        let marker = provider == .anthropic ? "\" there\"}}\n\n" : "\"Foo\"},"
        let bytes = try RecordedStreams.bytes(file)
        let cut = try #require(RecordedStreams.offset(after: marker, in: bytes))
        let server = try await RecordedStreamServer.start()
        server.enqueue(.stream(Array(bytes[..<cut]), ending: .hold))
        let model = ReplyStreamClient.model(ReplyStreamClient.configuration(provider, server: server, firstToken: .seconds(5), idle: .milliseconds(300)))
        let clock = ContinuousClock()
        let start = clock.now
        let reply = await ReplyStreamClient.collect(model.stream(ReplyStreamClient.prompt))
        #expect(reply.failure == .stalled(seconds: 0.3))
        #expect(reply.text == (provider == .anthropic ? "Hello there" : ""))
        #expect(clock.now - start < .milliseconds(2500))
        // The stalled request is cancelled: the server sees its connection closed.
        #expect(await eventually { server.abortedCount == 1 })
        try await server.stop()
    }

    @Test("a consumer that stops iterating cancels the request: the server sees the connection closed")
    func consumerCancellation() async throws {
        let bytes = try RecordedStreams.bytes("anthropic-basic")
        let cut = try #require(RecordedStreams.offset(after: "\"Hello\"}}\n\n", in: bytes))
        let server = try await RecordedStreamServer.start()
        server.enqueue(.stream(bytes, splits: [cut], delayBetweenWrites: .seconds(30)))
        let model = ReplyStreamClient.model(ReplyStreamClient.configuration(.anthropic, server: server))
        for try await event in model.stream(ReplyStreamClient.prompt) {
            #expect(event == .delta("Hello"))
            break
        }
        #expect(await eventually { server.abortedCount == 1 })
        try await server.stop()
    }

    @Test("cancelling the consuming task cancels the request")
    func taskCancellation() async throws {
        let server = try await RecordedStreamServer.start()
        server.enqueue(.stream(try RecordedStreams.bytes("openai-basic"), splits: [10], ending: .hold))
        let model = ReplyStreamClient.model(ReplyStreamClient.configuration(.openai, server: server))
        let consumer = Task { await ReplyStreamClient.collect(model.stream(ReplyStreamClient.prompt)) }
        #expect(await eventually { server.firstByteTimes.count == 1 })
        consumer.cancel()
        _ = await consumer.value
        #expect(await eventually { server.abortedCount == 1 })
        try await server.stop()
    }

    @Test("an Anthropic stream cut before message_stop is truncated; a dropped connection is a transport error")
    func endsTooSoon() async throws {
        let bytes = try RecordedStreams.bytes("anthropic-basic")
        let cut = try #require(RecordedStreams.offset(after: "\"output_tokens\":6}       }\n\n", in: bytes))
        let server = try await RecordedStreamServer.start()
        server.enqueue(.stream(Array(bytes[..<cut])))
        server.enqueue(.stream(Array(bytes[..<cut]), ending: .drop))
        let model = ReplyStreamClient.model(ReplyStreamClient.configuration(.anthropic, server: server))
        #expect(await ReplyStreamClient.collect(model.stream(ReplyStreamClient.prompt)) == DecodedReply(text: "Hello there!", failure: .truncated))
        let dropped = await ReplyStreamClient.collect(model.stream(ReplyStreamClient.prompt))
        #expect(dropped.text == "Hello there!")
        guard case .transport = dropped.failure else {
            Issue.record("expected a transport error, got \(String(describing: dropped.failure))")
            return
        }
        try await server.stop()
    }

    @Test("nobody listening is a transport error")
    func nobodyListening() async throws {
        let port = try LoopbackPort.free()
        let configuration = ReplyModelConfiguration(
            provider: .openai, baseURL: "http://127.0.0.1:\(port)", apiKey: nil, model: "m", firstTokenTimeout: .seconds(1))
        let reply = await ReplyStreamClient.collect(ReplyStreamClient.model(configuration).stream(ReplyStreamClient.prompt))
        guard case .transport = reply.failure else {
            Issue.record("expected a transport error, got \(String(describing: reply.failure))")
            return
        }
    }
}

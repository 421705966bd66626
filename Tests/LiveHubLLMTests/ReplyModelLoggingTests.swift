import LiveHubLLM
import LiveHubTools
import Testing

@Suite("What reply models log")
struct ReplyModelLoggingTests {
    @Test("logs carry provider, model, status and latency, never the API key or the prompt, even when a provider echoes the key")
    func neverTheKeyOrPrompt() async throws {
        let capture = LogCapture()
        let server = try await RecordedStreamServer.start()
        let key = ReplyStreamClient.apiKey
        server.enqueue(.stream(try RecordedStreams.bytes("anthropic-basic")))
        server.enqueue(.status(401, #"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key \#(key)"}}"#))
        server.enqueue(.stream(try RecordedStreams.bytes("anthropic-midstream-error")))
        server.enqueue(.stream(Array(#"event: error\#ndata: {"type":"error","error":{"type":"\#(key)","message":"key \#(key) revoked"}}\#n\#n"#.utf8)))
        let model = ReplyStreamClient.model(ReplyStreamClient.configuration(.anthropic, server: server), logger: capture.logger())

        let ok = await ReplyStreamClient.collect(model.stream(ReplyStreamClient.prompt))
        #expect(ok.text == "Hello there!")
        let rejected = await ReplyStreamClient.collect(model.stream(ReplyStreamClient.prompt))
        #expect(rejected.failure == .rejected(status: 401, type: "authentication_error", message: "invalid x-api-key [redacted]"))
        _ = await ReplyStreamClient.collect(model.stream(ReplyStreamClient.prompt))
        let echoed = await ReplyStreamClient.collect(model.stream(ReplyStreamClient.prompt))
        #expect(echoed.failure == .streamError(type: "[redacted]", message: "key [redacted] revoked"))

        let lines = capture.lines
        #expect(lines.count >= 8)
        for line in lines {
            #expect(!line.contains(key))
            #expect(!line.contains("PROMPT-MARKER"))
            #expect(!line.contains(ReplyStreamClient.prompt.system))
            #expect(line.contains("llm.provider") && line.contains("anthropic") && line.contains("claude-test"))
        }
        let finished = try #require(lines.first { $0.contains("reply stream finished") })
        #expect(finished.contains("llm.status") && finished.contains("llm.first_token_ms") && finished.contains("llm.elapsed_ms"))
        #expect(finished.contains("end_turn"))
        #expect(lines.contains { $0.contains("reply stream failed") && $0.contains("overloaded_error") })
        try await server.stop()
    }

    @Test("descriptions of a configuration and of errors never show the key")
    func descriptions() {
        let configuration = ReplyModelConfiguration(provider: .anthropic, apiKey: "sk-ant-SECRET", model: "claude-x")
        #expect(!"\(configuration)".contains("SECRET"))
        #expect(!String(reflecting: configuration).contains("SECRET"))
        #expect("\(configuration)".contains("claude-x"))
        #expect(ReplyModelError.firstTokenTimeout(seconds: 0.2).description == "no reply text within 0.2 s")
        #expect(ReplyModelError.stalled(seconds: 30).description == "reply stream stalled for 30 s")
    }
}

import LiveHubLLM
import Testing

@Suite("Provider stream decoders")
struct StreamDecoderTests {
    @Test("each recorded file decodes to the text, stop reason and usage read from it", arguments: RecordedStreams.all)
    func recordedFiles(expected: RecordedStreams.Expectation) throws {
        let events = try RecordedStreams.events(RecordedStreams.bytes(expected.file))
        let reply = DecodedReply.decode(events, provider: expected.provider)
        #expect(reply == DecodedReply(text: expected.text, finished: expected.finished, failure: expected.failure))
    }

    @Test("an Anthropic stream that ends without message_stop is truncated")
    func anthropicTruncated() throws {
        let events = try RecordedStreams.events(RecordedStreams.bytes("anthropic-basic")).dropLast()
        let reply = DecodedReply.decode(Array(events), with: AnthropicStreamDecoder())
        #expect(reply == DecodedReply(text: "Hello there!", failure: .truncated))
    }

    @Test("unknown Anthropic events, other delta types and extra fields are ignored; a missing event name falls back to the JSON type")
    func anthropicTolerance() {
        let events = [
            ServerSentEvent(event: "message_start", data: #"{"type":"message_start","message":{"usage":{"input_tokens":3,"cache_read_input_tokens":0},"extra":[1,2]}}"#),
            ServerSentEvent(event: "brand_new_event", data: "not even JSON"),
            ServerSentEvent(event: "content_block_delta", data: #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}"#),
            ServerSentEvent(event: "content_block_delta", data: #"{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hi","citations":null},"new":true}"#),
            ServerSentEvent(event: nil, data: #"{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":" Sam"}}"#),
            ServerSentEvent(event: "message_delta", data: #"{"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"input_tokens":4,"output_tokens":2}}"#),
            ServerSentEvent(event: nil, data: #"{ "type" : "message_stop" }"#),
            ServerSentEvent(event: "content_block_delta", data: #"{"type":"content_block_delta","delta":{"type":"text_delta","text":"after the end"}}"#),
        ]
        let reply = DecodedReply.decode(events, with: AnthropicStreamDecoder())
        #expect(reply == DecodedReply(text: "Hi Sam", finished: .finished(stopReason: "max_tokens", inputTokens: 4, outputTokens: 2)))
    }

    @Test("an Anthropic event whose data is not JSON is malformed")
    func anthropicMalformed() {
        let reply = DecodedReply.decode([ServerSentEvent(event: "content_block_delta", data: "{oops")], with: AnthropicStreamDecoder())
        #expect(reply.failure == .malformed("content_block_delta event whose data is not the expected JSON"))
    }

    @Test("a vLLM error object in a data line mid-stream is a streamError, in both of vLLM's shapes")
    func openAIErrorObjects() {
        let start = ServerSentEvent(data: #"{"choices":[{"index":0,"delta":{"content":"Let me"}}]}"#)
        let nested = ServerSentEvent(data: #"{"error": {"object": "error", "message": "CUDA out of memory", "type": "InternalServerError", "param": null, "code": 500}}"#)
        #expect(DecodedReply.decode([start, nested, ServerSentEvent(data: "[DONE]")], with: OpenAIStreamDecoder())
            == DecodedReply(text: "Let me", failure: .streamError(type: "InternalServerError", message: "CUDA out of memory")))
        let flat = ServerSentEvent(data: #"{"object":"error","message":"context too long","type":"BadRequestError","param":null,"code":400}"#)
        #expect(DecodedReply.decode([start, flat], with: OpenAIStreamDecoder())
            == DecodedReply(text: "Let me", failure: .streamError(type: "BadRequestError", message: "context too long")))
        let ollama = ServerSentEvent(data: #"{"error":"model runner has unexpectedly stopped"}"#)
        #expect(DecodedReply.decode([start, ollama], with: OpenAIStreamDecoder())
            == DecodedReply(text: "Let me", failure: .streamError(type: nil, message: "model runner has unexpectedly stopped")))
    }

    @Test("null and absent content, null choices, extra fields and [DONE] with spaces")
    func openAITolerance() {
        let events = [
            ServerSentEvent(data: #"{"choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":"thinking"},"logprobs":null}],"system_fingerprint":"x"}"#),
            ServerSentEvent(data: #"{"choices":[{"index":0,"delta":{}}]}"#),
            ServerSentEvent(data: #"{"choices":[{"index":0}]}"#),
            ServerSentEvent(data: #"  {"choices":[{"index":0,"delta":{"content":"Yes"},"finish_reason":null}], "timings": {"predicted_n": 1}}  "#),
            ServerSentEvent(event: "ping", data: "not JSON, and not for us"),
            ServerSentEvent(data: #"{"choices":[{"index":0,"delta":{"content":"!"},"finish_reason":"length"}]}"#),
            ServerSentEvent(data: #"{"choices":null,"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#),
            ServerSentEvent(data: " [DONE] "),
            ServerSentEvent(data: #"{"choices":[{"index":0,"delta":{"content":"after the end"}}]}"#),
        ]
        #expect(DecodedReply.decode(events, with: OpenAIStreamDecoder())
            == DecodedReply(text: "Yes!", finished: .finished(stopReason: "length", inputTokens: 5, outputTokens: 2)))
    }

    @Test("EOF without [DONE] ends normally after text, and is truncated before any")
    func openAIEndOfFile() {
        let role = ServerSentEvent(data: #"{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#)
        let text = ServerSentEvent(data: #"{"choices":[{"index":0,"delta":{"content":"Ok"}}]}"#)
        #expect(DecodedReply.decode([role, text], with: OpenAIStreamDecoder())
            == DecodedReply(text: "Ok", finished: .finished(stopReason: nil, inputTokens: nil, outputTokens: nil)))
        #expect(DecodedReply.decode([role], with: OpenAIStreamDecoder()) == DecodedReply(failure: .truncated))
        #expect(DecodedReply.decode([], with: OpenAIStreamDecoder()) == DecodedReply(failure: .truncated))
    }

    @Test("a data line that is not a chunk is malformed")
    func openAIMalformed() {
        #expect(DecodedReply.decode([ServerSentEvent(data: "<html>")], with: OpenAIStreamDecoder()).failure
            == .malformed("a data line that is not a chat-completion chunk"))
    }
}

import LiveHubLLM
import Testing

@Suite("Server-Sent Events parser")
struct ServerSentEventParserTests {
    @Test("every recorded file yields the same events cut in two at every offset and fed byte by byte", arguments: RecordedStreams.files)
    func chunkBoundariesDoNotMatter(file: String) throws {
        let bytes = try RecordedStreams.bytes(file)
        let whole = try RecordedStreams.events(bytes)
        #expect(whole.count >= 3)
        for cut in 0...bytes.count {
            #expect(try RecordedStreams.events(bytes, cutAt: [cut]) == whole, "cut at \(cut)")
        }
        #expect(try RecordedStreams.events(bytes, cutAt: Array(1..<bytes.count)) == whole)
    }

    @Test("the recorded Anthropic stream parses into named events with their JSON")
    func anthropicEvents() throws {
        let events = try RecordedStreams.events(RecordedStreams.bytes("anthropic-basic"))
        #expect(events.map(\.event) == [
            "message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
            "content_block_delta", "content_block_stop", "message_delta", "message_stop",
        ])
        #expect(events[2].data == #"{"type": "ping"}"#)
        #expect(events[8].data == #"{"type":"message_stop"}"#)
    }

    @Test("CRLF and CR line endings give the same events as LF, at every cut", arguments: RecordedStreams.files)
    func lineEndings(file: String) throws {
        let lf = try RecordedStreams.bytes(file)
        let expected = try RecordedStreams.events(lf)
        for ending in [[13, 10], [13]] as [[UInt8]] {
            let converted = lf.flatMap { $0 == 10 ? ending : [$0] }
            #expect(try RecordedStreams.events(converted) == expected)
            // A cut between \r and \n must not make an extra blank line.
            for cut in 0...converted.count {
                #expect(try RecordedStreams.events(converted, cutAt: [cut]) == expected, "cut at \(cut)")
            }
        }
    }

    @Test("comments are ignored, data lines are joined with \\n, one space after the colon is dropped")
    func fields() throws {
        let text = ": a comment\n:another\nevent: update\ndata: first\ndata:second\ndata:  third\ndata\nid: 7\nretry: 10\nunknown: x\n\n"
        #expect(try RecordedStreams.events(Array(text.utf8)) == [
            ServerSentEvent(event: "update", data: "first\nsecond\n third\n")
        ])
    }

    @Test("a blank line without data dispatches nothing and forgets the event name")
    func emptyEvents() throws {
        let text = "event: ignored\n\n\n: only a comment\n\ndata: x\n\n"
        #expect(try RecordedStreams.events(Array(text.utf8)) == [ServerSentEvent(event: nil, data: "x")])
    }

    @Test("a multi-byte character cut in two decodes whole")
    func utf8AcrossChunks() throws {
        let bytes = Array("data: café ✓ 👋\n\n".utf8)
        for cut in 0...bytes.count {
            #expect(try RecordedStreams.events(bytes, cutAt: [cut]) == [ServerSentEvent(data: "café ✓ 👋")])
        }
    }

    @Test("finish() dispatches a last event with data and no blank line, and drops one without data")
    func endOfStream() throws {
        #expect(try RecordedStreams.events(Array("data: a\n\ndata: last".utf8)) == [ServerSentEvent(data: "a"), ServerSentEvent(data: "last")])
        #expect(try RecordedStreams.events(Array("data: a\n\nevent: x\n".utf8)) == [ServerSentEvent(data: "a")])
    }

    @Test("a leading byte-order mark is dropped")
    func byteOrderMark() throws {
        #expect(try RecordedStreams.events([0xEF, 0xBB, 0xBF] + Array("data: x\n\n".utf8)) == [ServerSentEvent(data: "x")])
    }

    @Test("an oversized line or event is malformed instead of growing the buffer")
    func limits() throws {
        var parser = ServerSentEventParser(maximumLineLength: 64, maximumEventSize: 100)
        let longLine = #expect(throws: ReplyModelError.self) {
            for _ in 0..<10 { _ = try parser.feed(Array(repeating: UInt8(ascii: "a"), count: 10)) }
        }
        #expect(longLine == .malformed("an event-stream line longer than 64 bytes"))
        var events = ServerSentEventParser(maximumLineLength: 64, maximumEventSize: 100)
        let bigEvent = #expect(throws: ReplyModelError.self) {
            for _ in 0..<20 { _ = try events.feed(Array("data: 0123456789\n".utf8)) }
        }
        #expect(bigEvent == .malformed("an event with more than 100 bytes of data"))
        var fine = ServerSentEventParser(maximumLineLength: 64, maximumEventSize: 100)
        #expect(try fine.feed(Array("data: \(String(repeating: "b", count: 57))\n\n".utf8)).count == 1)
    }
}

import Actors
import Foundation
import Testing

@testable import LiveHub

/// The WebSocket protocol as the server's own channel handler speaks it, frame by frame over a
/// real socket.
@Suite("WebSocket frames over a real socket")
struct WebSocketChannelTests {
    @Test("the first frame is hello; a client's ping gets a pong with its data; a client's close is echoed and the connection ends")
    func pingAndClose() async throws {
        try await Harness.run { h in
            let ws = try await RawWebSocket.open(port: h.port, token: try await h.token("a1", .agent))
            let hello = try #require(try await ws.nextNonPing())
            #expect(hello.opcode == RawWebSocket.text && hello.text.contains(#""type":"hello""#))
            ws.send(RawWebSocket.ping, Array("are-you-there".utf8))
            let pong = try #require(try await ws.nextNonPing())
            #expect(pong.opcode == RawWebSocket.pong && pong.text == "are-you-there")
            ws.send(RawWebSocket.close, [0x03, 0xE8])  // 1000
            let close = try #require(try await ws.nextNonPing())
            #expect(close.closeCode == 1000)
            #expect(try await ws.waitForClose(timeout: .seconds(5)))
        }
    }

    @Test("the server pings on its interval; a client that answers stays, one that does not is closed with 1001")
    func serverPings() async throws {
        try await Harness.run(configure: { $0.webSocketPingInterval = .seconds(1) }) { h in
            let token = try await h.token("a1", .agent)
            let answering = try await RawWebSocket.open(port: h.port, token: token)
            let silent = try await RawWebSocket.open(port: h.port, token: token)
            // The answering client answers every ping while it waits for its pong.
            let answered = Task {
                var texts: [String] = []
                while let f = try await answering.nextNonPing(timeout: .seconds(10)) {
                    texts.append(f.text)
                    if f.text.contains(#""type":"pong""#) || f.opcode == RawWebSocket.close { break }
                }
                return texts
            }
            // The silent client reads its pings but never answers: the second interval closes it.
            var frames: [RawWebSocket.Frame] = []
            while let f = try await silent.next(timeout: .seconds(5)) {
                frames.append(f)
                if f.opcode == RawWebSocket.close { break }
            }
            #expect(frames.contains { $0.opcode == RawWebSocket.ping })
            #expect(frames.last?.closeCode == 1001)
            // The answering one, pinged as often meanwhile, still works.
            answering.sendText(#"{"op":"ping"}"#)
            let texts = try await answered.value
            #expect(texts.count == 2 && texts.last?.contains(#""type":"pong""#) == true, "\(texts)")
        }
    }

    @Test("event frames of every header size (7-, 16- and 64-bit lengths) reach a client intact, in order")
    func frameSizes() async throws {
        try await Harness.run { h in
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)
            let ws = try await RawWebSocket.open(port: h.port, token: try await h.token("sup-1", .supervisor))
            _ = try await ws.nextNonPing()  // hello
            ws.sendText(#"{"op":"subscribe","topic":"conversation:conv-1"}"#)
            #expect(try await ws.nextNonPing()?.text.contains(#""type":"subscribed""#) == true)
            var state = ConversationState(conversationId: "conv-1", locationId: "loc-1", contactId: nil)
            let sizes = [0, 10, 125 - 110, 300, 65_535 - 120, 65_536, 200_000]
            for (i, size) in sizes.enumerated() {
                state.head = UInt64(1_000 + i)
                let data = Data(("{\"pad\":\"" + String(repeating: "y", count: size) + "\"}").utf8)
                let e = ConversationEvent(conversationId: "conv-1", seq: state.head, at: 0, kind: .analysis, data: data)
                h.server.hub.publish(ConversationCommit(events: [e], state: state, stateJSON: Data("{}".utf8), summary: state.summary(mode: .suggest), receipt: nil))
            }
            for (i, size) in sizes.enumerated() {
                var next = try await ws.nextNonPing()
                // Who has the conversation open (this client) is announced too: not an event of the stream.
                while let f = next, f.text.contains(#""kind":"conversation.viewers""#) { next = try await ws.nextNonPing() }
                let frame = try #require(next)
                #expect(frame.opcode == RawWebSocket.text && frame.fin)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(frame.payload)) as? [String: Any])
                #expect(json["seq"] as? Int == 1_000 + i)
                #expect(((json["data"] as? [String: Any])?["pad"] as? String)?.count == size)
            }
        }
    }

    @Test("a client that stopped reading is closed on the ping timeout even though its close frame cannot be written")
    func closeWithoutReader() async throws {
        try await Harness.run(configure: {
            $0.webSocketPingInterval = .seconds(1)
            $0.outboundQueueLimit = 4_096
        }) { h in
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)
            let socket = try await NonReadingSocket.open(port: h.port, path: "/v1/ws?access_token=\(try await h.token("sup-1", .supervisor))")
            socket.sendText(#"{"op":"subscribe","topic":"conversation:conv-1"}"#)
            while h.server.hub.subscriberCount("conversation:conv-1") == 0 { try await Task.sleep(for: .milliseconds(5)) }
            // Fill the kernel's buffers both ways so that nothing more, not even a close frame, goes out.
            let big = Data(("{\"pad\":\"" + String(repeating: "x", count: 64_000) + "\"}").utf8)
            var state = ConversationState(conversationId: "conv-1", locationId: "loc-1", contactId: nil)
            for seq in 1_000..<1_200 {
                state.head = UInt64(seq)
                let e = ConversationEvent(conversationId: "conv-1", seq: UInt64(seq), at: 0, kind: .analysis, data: big)
                h.server.hub.publish(ConversationCommit(events: [e], state: state, stateJSON: Data("{}".utf8), summary: state.summary(mode: .suggest), receipt: nil))
            }
            #expect(h.server.counters.connections == 1)
            // Two ping intervals find it silent; the close frame waits behind megabytes it never
            // reads; the connection is closed anyway, and its slot freed.
            let deadline = ContinuousClock.now + .seconds(15)
            while h.server.counters.connections > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(h.server.counters.connections == 0)
            #expect(h.server.hub.subscriberCount("conversation:conv-1") == 0)
        }
    }

    @Test("a message in fragments is joined; one over the 1 MiB frame limit closes with 1009; fragments out of order close with an error")
    func fragments() async throws {
        try await Harness.run { h in
            let token = try await h.token("a1", .agent)
            let ws = try await RawWebSocket.open(port: h.port, token: token)
            _ = try await ws.nextNonPing()  // hello
            let op = Array(#"{"op":"ping"}"#.utf8)
            ws.send(RawWebSocket.text, Array(op[..<5]), fin: false)
            ws.send(RawWebSocket.continuation, Array(op[5..<9]), fin: false)
            ws.send(RawWebSocket.continuation, Array(op[9...]))
            #expect(try await ws.nextNonPing()?.text.contains(#""type":"pong""#) == true)

            let big = try await RawWebSocket.open(port: h.port, token: token)
            _ = try await big.nextNonPing()
            let half = [UInt8](repeating: 0x20, count: 600_000)
            big.send(RawWebSocket.text, half, fin: false)
            big.send(RawWebSocket.continuation, half)
            #expect(try await big.nextNonPing()?.closeCode == 1009)
            #expect(try await big.waitForClose(timeout: .seconds(5)))

            let stray = try await RawWebSocket.open(port: h.port, token: token)
            _ = try await stray.nextNonPing()
            stray.send(RawWebSocket.continuation, op)
            #expect(try await stray.waitForClose(timeout: .seconds(5)))
        }
    }

    @Test("a client that sends 3,000 ops at once is served in order: every answer arrives, none is lost")
    func flood() async throws {
        try await Harness.run { h in
            let ws = try await RawWebSocket.open(port: h.port, token: try await h.token("a1", .agent))
            _ = try await ws.nextNonPing()  // hello
            // Alternate a good op and a bad one so the answers can be told apart and counted in order;
            // bad ops count against the error budget, so they are kept under it.
            var burst: [UInt8] = []
            for i in 0..<3_000 {
                let text = i % 50 == 49 ? #"{"op":"nonsense"}"# : #"{"op":"ping"}"#
                burst += RawWebSocket.encode(RawWebSocket.text, Array(text.utf8))
            }
            ws.send(burst)
            var answers: [String] = []
            while answers.count < 3_000, let f = try await ws.nextNonPing(timeout: .seconds(20)) {
                answers.append(f.text.contains(#""type":"pong""#) ? "pong" : f.text.contains("unknown_op") ? "error" : f.text)
            }
            let expected = (0..<3_000).map { $0 % 50 == 49 ? "error" : "pong" }
            #expect(answers.count == 3_000)
            #expect(Array(zip(answers, expected)).firstIndex { $0.0 != $0.1 } == nil, "answers out of order")
        }
    }
}

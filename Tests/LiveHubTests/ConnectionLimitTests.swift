import AsyncHTTPClient
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

@testable import LiveHub

/// Every wait of the HTTP server is bounded, and its queues are: each limit here is tried with a
/// real socket that misbehaves.
@Suite("Connection and queue limits")
struct ConnectionLimitTests {
    static let healthz = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    @Test("a keep-alive connection idle for the idle timeout is closed")
    func idleKeepAlive() async throws {
        try await Harness.run(configure: { $0.httpIdleTimeout = .seconds(1) }) { h in
            let c = try await RawConnection.open(port: h.port)
            c.send(Self.healthz)
            #expect(try await c.readHead().hasPrefix("HTTP/1.1 200"))
            #expect(try await c.waitForClose(timeout: .seconds(15)))
        }
    }

    @Test("a client that connects and says nothing, or trickles its request head, is answered 408 and closed at the head deadline")
    func slowHead() async throws {
        try await Harness.run(configure: { $0.requestHeadTimeout = .seconds(1) }) { h in
            let silent = try await RawConnection.open(port: h.port)
            #expect(try await silent.readHead(timeout: .seconds(15)).hasPrefix("HTTP/1.1 408"))
            let trickle = try await RawConnection.open(port: h.port)
            let dripping = Task {
                for byte in Self.healthz.utf8.prefix(30) {
                    trickle.send([byte])
                    try? await Task.sleep(for: .milliseconds(200))
                }
            }
            #expect(try await trickle.waitForClose(timeout: .seconds(15)))
            dripping.cancel()
            // Blank lines first (HTTP parsers skip them) do not count as a finished head.
            let sneaky = try await RawConnection.open(port: h.port)
            sneaky.send("\r\n\r\n\r\nGET /hea")
            #expect(try await sneaky.readHead(timeout: .seconds(15)).hasPrefix("HTTP/1.1 408"))
            // A prompt client on the same server is served.
            let prompt = try await RawConnection.open(port: h.port)
            prompt.send(Self.healthz)
            #expect(try await prompt.readHead().hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test("a request whose body stops arriving is cut off at the request deadline; nothing of it is stored")
    func slowBody() async throws {
        try await Harness.run(configure: { $0.requestTimeout = .seconds(1) }) { h in
            let c = try await RawConnection.open(port: h.port)
            c.send("POST /webhooks/ghl HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"type\":\"Inbound")
            let dripping = Task {
                for _ in 0..<100 {
                    c.send(" ")
                    try? await Task.sleep(for: .milliseconds(200))
                }
            }
            #expect(try await c.waitForClose(timeout: .seconds(15)))
            dripping.cancel()
            #expect(try await h.webhookCount() == 0)
        }
    }

    @Test("past the connection limit a new connection is answered 503 with Retry-After and closed; a slot freed lets the next in")
    func connectionLimit() async throws {
        // The test client's own connection takes one of the three slots.
        try await Harness.run(configure: { $0.maxConnections = 3 }) { h in
            var first: RawConnection? = try await RawConnection.open(port: h.port)
            first?.send(Self.healthz)
            #expect(try await first?.readHead().hasPrefix("HTTP/1.1 200") == true)
            let second = try await RawConnection.open(port: h.port)
            second.send(Self.healthz)
            #expect(try await second.readHead().hasPrefix("HTTP/1.1 200"))
            let third = try await RawConnection.open(port: h.port)
            let refused = try await third.readHead()
            #expect(refused.hasPrefix("HTTP/1.1 503") && refused.contains("Retry-After: 1"))
            #expect(try await third.waitForClose(timeout: .seconds(15)))
            first = nil  // closes the socket: its slot frees once the server sees the close
            var served = false
            for _ in 0..<100 where !served {
                let next = try await RawConnection.open(port: h.port)
                next.send(Self.healthz)
                served = try await next.readHead().hasPrefix("HTTP/1.1 200")
                if !served { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(served)
            _ = second
        }
    }

    @Test("when commits fall behind, webhooks get 503 with Retry-After instead of queueing; every acknowledged one is stored, the refused ones are stored when retried")
    func commitBacklog() async throws {
        try await Harness.run(configure: { $0.maxCommitBacklog = 2 }) { h in
            // Another connection holds SQLite's write lock: the disk "cannot keep up".
            let blocker = try DatabaseQueue(path: h.dataDirectory.appendingPathComponent("livehub.sqlite").path)
            let locked = Shared(false)
            let holder = Thread {
                try? blocker.writeWithoutTransaction { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    locked.update { $0 = true }
                    Thread.sleep(forTimeInterval: 1.5)
                    try db.execute(sql: "COMMIT")
                }
            }
            holder.start()
            for _ in 0..<1_000 where !locked.get() { try await Task.sleep(for: .milliseconds(5)) }
            let bodies = try (0..<12).map { i in
                try GHLFixture.body("inbound-sms", ["webhookId": "wh-bl-\(i)", "messageId": "msg-bl-\(i)", "conversationId": "conv-bl-\(i)"])
            }
            // Concurrent requests need their own connections (the test client has one).
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            @Sendable func post(_ i: Int) async throws -> (Int, HTTPResponseStatus, String?) {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(h.port)/webhooks/ghl")
                request.method = .POST
                request.headers.add(name: "x-ghl-signature", value: try h.key.signature(for: bodies[i]).base64EncodedString())
                request.body = .bytes(ByteBuffer(bytes: bodies[i]))
                let r = try await http.execute(request, timeout: .seconds(30))
                return (i, r.status, r.headers.first(name: "retry-after"))
            }
            let results = try await withThrowingTaskGroup(of: (Int, HTTPResponseStatus, String?).self) { group in
                // Two webhooks fill the backlog while the lock is held; the rest arrive behind them.
                for i in 0..<2 { group.addTask { try await post(i) } }
                let deadline = ContinuousClock.now + .seconds(30)
                while h.server.storage.health.commitBacklog < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(2)) }
                for i in 2..<bodies.count { group.addTask { try await post(i) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            try await http.shutdown()
            let refused = results.filter { $0.1 == .serviceUnavailable }
            let acknowledged = results.filter { $0.1 == .ok }
            #expect(!refused.isEmpty && refused.allSatisfy { $0.2 == "1" })
            #expect(acknowledged.count + refused.count == bodies.count)
            for (i, _, _) in acknowledged { #expect(try await h.events("conv-bl-\(i)").contains { $0.kind == .messageInbound }) }
            // GHL retries the refused ones: now they are stored.
            for (i, _, _) in refused { #expect(try await h.post(bodies[i]).status == .ok) }
            #expect(try await h.webhookCount() == bodies.count)
        }
    }
}

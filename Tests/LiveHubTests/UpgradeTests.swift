import Foundation
import Testing

@testable import LiveHub

@Suite("WebSocket upgrade over a real socket")
struct UpgradeTests {
    static func upgrade(_ query: String) -> String {
        "GET /v1/ws\(query) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    }

    @Test("an upgrade with a missing, garbage, expired or tampered token is answered 401 with a JSON error, as the protocol says")
    func unauthorized() async throws {
        try await Harness.run { h in
            let valid = try await h.token("a1", .agent)
            var tampered = Array(valid)
            tampered[tampered.count / 2] = tampered[tampered.count / 2] == "A" ? "B" : "A"
            let expired = try await h.token("a1", .agent, lifetime: -10)
            for query in ["", "?access_token=garbage", "?access_token=\(String(tampered))", "?access_token=\(expired)"] {
                let c = try await RawConnection.open(port: h.port)
                c.send(Self.upgrade(query))
                let head = try await c.readHead()
                #expect(head.hasPrefix("HTTP/1.1 401"), "\(query.prefix(30)): \(head)")
            }
            let c = try await RawConnection.open(port: h.port)
            c.send(Self.upgrade("?access_token=\(valid)"))
            #expect(try await c.readHead().hasPrefix("HTTP/1.1 101"))
        }
    }
}

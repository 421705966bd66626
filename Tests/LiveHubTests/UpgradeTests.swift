import Foundation
import Testing

@testable import LiveHub

@Suite("WebSocket upgrade over a real socket")
struct UpgradeTests {
    @Test("an upgrade with a missing, garbage, expired or tampered token is answered 401 with a JSON error, as the protocol says")
    func unauthorized() async throws {
        try await Harness.run { h in
            let valid = try await h.token("a1", .agent)
            var tampered = Array(valid)
            tampered[tampered.count / 2] = tampered[tampered.count / 2] == "A" ? "B" : "A"
            let expired = try await h.token("a1", .agent, lifetime: -10)
            for query in ["", "?access_token=garbage", "?access_token=\(String(tampered))", "?access_token=\(expired)"] {
                let c = try await RawConnection.open(port: h.port)
                c.send(RawConnection.upgradeRequest(path: "/v1/ws" + query))
                let head = try await c.readHead()
                #expect(head.hasPrefix("HTTP/1.1 401"), "\(query.prefix(30)): \(head)")
            }
            let c = try await RawConnection.open(port: h.port)
            c.send(RawConnection.upgradeRequest(path: "/v1/ws?access_token=\(valid)"))
            #expect(try await c.readHead().hasPrefix("HTTP/1.1 101"))
        }
    }
}

import Crypto
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import LiveHub
@testable import LiveHubSQLite

/// The two places the internet reaches, fed inputs mutated from valid samples (`Mutator`, seeded,
/// so every run tries the same inputs). libFuzzer runs the same paths for longer
/// (docs/fuzzing.md); this keeps them honest on every test run.
@Suite("Hostile input, mutated from valid samples")
struct MutationFuzzTests {
    static let acceptedStatuses: Set<Int> = [200, 400, 401, 413, 422]

    static func samples(_ folders: [String]) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        for folder in folders {
            let url = GHLFixture.root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() where !name.hasSuffix(".md") {
                out.append(Array(try Data(contentsOf: url.appendingPathComponent(name))))
            }
        }
        return out
    }

    @Test("1,500 mutated webhooks, signed so they reach the parser: each answered 200, 400, 401, 413 or 422, none crashes or hangs; storage stays gap-free")
    func webhooks() async throws {
        let samples = try Self.samples(["Fixtures/ghl", "Fixtures/fuzz/webhook"])
        // The samples keep their timestamps: none may go stale, or they would stop at the replay check.
        try await Harness.run(configure: { $0.replayWindow = .seconds(100 * 365 * 86_400) }) { h in
            let driver = InputDriver(server: h.server)
            var mutator = Mutator(seed: 0x11FE_5EED)
            var statuses: [Int: Int] = [:]
            for i in 0..<1_500 {
                let body = mutator.mutate(samples[i % samples.count])
                let signature = try h.key.signature(for: body).base64EncodedString()
                let status: Int
                if i % 10 == 0 {
                    // Over the real socket too: the HTTP layer reads the same bytes.
                    status = Int(try await h.post(body).status.code)
                } else {
                    status = await driver.webhook(body: body, headers: [("content-type", "application/json"), ("x-ghl-signature", signature)])
                }
                #expect(Self.acceptedStatuses.contains(status), "input \(i) (\(body.prefix(120).count) bytes…) got \(status)")
                statuses[status, default: 0] += 1
            }
            #expect(try await h.client.execute(uri: "/healthz", method: .get).status == .ok)
            let gaps = try await h.sqlite.database.pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT conversation_id, MAX(seq) AS m, COUNT(*) AS c FROM event GROUP BY conversation_id) WHERE m != c") ?? -1
            }
            #expect(gaps == 0)
            // The mutations reach both sides of the door: stored webhooks and refused ones.
            #expect(statuses[200, default: 0] > 100 && statuses[400, default: 0] > 100, "\(statuses)")
        }
    }

    @Test("1,500 mutated client frames: every answer is JSON, none crashes or hangs; the connection closes only on the error budget")
    func frames() async throws {
        let samples = try Self.samples(["Fixtures/fuzz/frames"])
        try await Harness.run { h in
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)
            let driver = InputDriver(server: h.server)
            var mutator = Mutator(seed: 0xF4A3_E5)
            var connection = driver.connection()
            var errors = 0
            for i in 0..<1_500 {
                let bytes = i % 3 == 0 ? samples[i % samples.count] : mutator.mutate(samples[i % samples.count])
                let (frames, open) = i % 50 == 49 ? await connection.send(binary: bytes) : await connection.send(text: bytes)
                for frame in frames {
                    let json = try? JSONSerialization.jsonObject(with: Data(frame.utf8)) as? [String: Any]
                    #expect(json != nil, "input \(i): the server sent \(frame.prefix(200))")
                    if json?["type"] as? String == "error" { errors += 1 }
                }
                if !open {
                    // Over 100 bad frames a minute close a connection (1008): a new one goes on.
                    connection.close()
                    connection = driver.connection()
                }
            }
            connection.close()
            #expect(errors > 100)
            // A real client on the same server still works.
            let probe = try await h.subscribed("sup-1", .supervisor, to: "conversation:conv-1")
            try await probe.send(#"{"op":"ping"}"#)
            try await probe.waitUntil { !$0.frames(type: "pong").isEmpty }
            await probe.close()
        }
    }
}

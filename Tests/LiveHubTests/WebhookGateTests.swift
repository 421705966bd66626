import Foundation
import Synchronization
import Testing

@testable import LiveHub

@Suite("Concurrent deliveries of one webhook")
struct WebhookGateTests {
    struct StorageDown: Error {}

    @Test("a concurrent copy of a delivery that failed is never acknowledged as a duplicate: it processes the webhook itself")
    func failedFirst() async throws {
        let gate = WebhookGate()
        let ran = Mutex(0)
        // The first delivery fails only after the second has had time to line up behind it.
        let first = Task {
            try await gate.run(keys: ["wh-1", "message:m-1"]) {
                try await Task.sleep(for: .milliseconds(300))
                throw StorageDown()
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        let second = try await gate.run(keys: ["wh-1", "message:m-1"]) {
            ran.withLock { $0 += 1 }
            return .processed(events: 3)
        }
        await #expect(throws: StorageDown.self) { try await first.value }
        #expect(second == .processed(events: 3))
        #expect(ran.withLock { $0 } == 1)
    }

    @Test("a concurrent copy of a delivery that succeeded is a duplicate; the work runs once")
    func succeededFirst() async throws {
        let gate = WebhookGate()
        let ran = Mutex(0)
        let first = Task {
            try await gate.run(keys: ["wh-2"]) {
                try await Task.sleep(for: .milliseconds(200))
                ran.withLock { $0 += 1 }
                return .processed(events: 1)
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        let second = try await gate.run(keys: ["wh-2"]) {
            ran.withLock { $0 += 1 }
            return .processed(events: 1)
        }
        #expect(try await first.value == .processed(events: 1))
        #expect(second == .duplicate)
        #expect(ran.withLock { $0 } == 1)
    }
}

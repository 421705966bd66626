import Foundation
import LiveHub
import Testing

/// The cluster's guarantees, each shown with real `livehub serve` processes on loopback, a real
/// PostgreSQL and a real Redis. One test at a time: each runs three nodes on the two cores.
extension ClusterSuite {
    @Suite("Cluster: fan-out")
    struct FanOut {
        /// Posts `count` messages round-robin over the running nodes, spread over the conversations,
        /// `interval` apart; returns the message ids acknowledged.
        static func stream(
            _ cluster: TestCluster, count: Int, conversations: [(location: String, id: String)], prefix: String, interval: Duration = .milliseconds(20),
            onEach: @Sendable (Int) async -> Void = { _ in }
        ) async -> [String] {
            await timedStream(cluster, count: count, conversations: conversations, prefix: prefix, interval: interval, onEach: onEach).map(\.message)
        }

        /// A delivery that was acknowledged: its message id, when it was first posted and when answered.
        struct Acked: Sendable {
            let message: String
            let posted: ContinuousClock.Instant
            let answered: ContinuousClock.Instant
        }

        static func timedStream(
            _ cluster: TestCluster, count: Int, conversations: [(location: String, id: String)], prefix: String, interval: Duration = .milliseconds(20),
            onEach: @Sendable (Int) async -> Void = { _ in }
        ) async -> [Acked] {
            await withTaskGroup(of: Acked?.self) { group in
                for i in 0..<count {
                    await onEach(i)
                    let (location, conversation) = conversations[i % conversations.count]
                    let message = "\(prefix)-\(i)"
                    group.addTask {
                        guard let body = try? inboundMessage(location: location, conversation: conversation, contact: "contact-\(conversation)", message: message) else { return nil }
                        let posted = ContinuousClock.now
                        return await cluster.deliver(body, startingAt: i) ? Acked(message: message, posted: posted, answered: .now) : nil
                    }
                    try? await Task.sleep(for: interval)
                }
                var acked: [Acked] = []
                for await m in group { if let m { acked.append(m) } }
                return acked
            }
        }

        static func head(_ cluster: TestCluster, _ conversation: String) async throws -> UInt64 {
            try await cluster.events(conversation).last?.seq ?? 0
        }

        @Test("three nodes, webhooks round-robin, clients on every node: every client sees every event of its topics once, in seq order")
        func roundRobin() async throws {
            try await TestCluster.run(nodes: 3) { cluster in
                let conversations = (0..<6).map { (location: "loc-\($0 % 3)", id: "rr-conv-\($0)") }
                // Each conversation exists before the clients subscribe to it.
                #expect(await Self.stream(cluster, count: 6, conversations: conversations, prefix: "rr-first").count == 6)
                let probes = try await cluster.watchers(on: cluster.nodes, conversations: conversations.map(\.id))
                #expect(await Self.stream(cluster, count: 150, conversations: conversations, prefix: "rr").count == 150)
                try await cluster.expectGapFree(probes, on: cluster.nodes, conversations: conversations.map(\.id))
            }
        }
    }
}

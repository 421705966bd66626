import Foundation
import LiveHub
import Synchronization
import Testing

/// Nodes and Redis failing under load: nothing acknowledged is lost, nothing is applied twice.
extension ClusterSuite {
    @Suite("Cluster: failover")
    struct Failover {
        @Test("kill -9 the owner of busy conversations: every acknowledged webhook is stored and reaches the clients after the takeover")
        func killOwner() async throws {
            try await TestCluster.run(nodes: 3) { cluster in
                let location = "loc-kill"
                let conversations = (0..<3).map { (location: location, id: "kill-conv-\($0)") }
                #expect(await ClusterSuite.FanOut.stream(cluster, count: 3, conversations: conversations, prefix: "kill-first").count == 3)
                let owner = try #require(try await cluster.owner(of: location))
                let survivors = cluster.nodes.filter { $0.id != owner.id }
                let probes = try await cluster.watchers(on: survivors, conversations: conversations.map(\.id))
                let killedAt = Mutex<ContinuousClock.Instant?>(nil)
                let timed = await ClusterSuite.FanOut.timedStream(cluster, count: 90, conversations: conversations, prefix: "kill", interval: .milliseconds(30)) { i in
                    if i == 30 {
                        owner.kill()
                        killedAt.withLock { $0 = .now }
                    }
                }
                let acked = timed.map(\.message)
                #expect(acked.count == 90, "every delivery is acknowledged in the end (GHL retries)")
                // Every acknowledged webhook is in PostgreSQL.
                for m in acked {
                    #expect(try await cluster.storage.ports.webhooks.isDuplicate(webhookId: "wh-" + m, messageId: m), "\(m) acknowledged but not stored")
                }
                let newOwner = try #require(try await cluster.owner(of: location))
                #expect(newOwner.id != owner.id)
                // The takeover as GHL sees it: from the kill to the first acknowledgement of a webhook
                // posted after it (every one of those waited for the new owner).
                let killed = try #require(killedAt.withLock { $0 })
                let firstAck = try #require(timed.filter { $0.posted >= killed }.map(\.answered).min())
                let takeover = firstAck - killed
                print("cluster: takeover after kill -9 of \(owner.id): \(takeover) (lease 3 s)")
                #expect(takeover < .seconds(10))
                try await cluster.expectGapFree(probes, on: survivors, conversations: conversations.map(\.id))
            }
        }

        @Test("SIGSTOP an owner past its lease, another node takes over, SIGCONT: none of the stale owner's writes lands")
        func pausedOwner() async throws {
            try await TestCluster.run(nodes: 3) { cluster in
                let location = "loc-pause"
                let conversations = [(location: location, id: "pause-conv")]
                #expect(await ClusterSuite.FanOut.stream(cluster, count: 5, conversations: conversations, prefix: "pause-first").count == 5)
                let owner = try #require(try await cluster.owner(of: location))
                owner.pause()
                // A delivery that reaches the paused owner itself waits in its socket until it resumes.
                let stale = Task { () -> Int in
                    let body = try inboundMessage(location: location, conversation: "pause-conv", contact: "contact-pause", message: "pause-stale")
                    return try await cluster.post(body, to: owner, timeout: .seconds(40)).status
                }
                // Meanwhile the others take the shard over (its lease lapses) and carry on.
                let others = cluster.nodes.filter { $0.id != owner.id }
                var acked = 0
                for i in 0..<20 {
                    let body = try inboundMessage(location: location, conversation: "pause-conv", contact: "contact-pause", message: "pause-\(i)")
                    if await cluster.deliver(body, startingAt: cluster.nodes.firstIndex { $0.id == others[i % 2].id } ?? 0) { acked += 1 }
                }
                #expect(acked == 20)
                let newOwner = try #require(try await cluster.owner(of: location))
                #expect(newOwner.id != owner.id)
                owner.resume()
                // The stale owner's own delivery: refused or forwarded, never committed under the old lease.
                let staleStatus = try await stale.value
                #expect(staleStatus == 200 || staleStatus == 503)
                try await Task.sleep(for: .seconds(2))
                let events = try await cluster.events("pause-conv")
                expectGapFree(events.map(\.seq), head: events.last?.seq ?? 0, "stored events after the pause")
                // Each message once: the stale node's copy (if it got through) went to the new owner.
                let inbound = events.filter { $0.kind == "message.inbound" }.count
                #expect(inbound == 25 + (staleStatus == 200 ? 1 : 0), "message.inbound events: \(inbound)")
                // It dropped the shard on waking, before touching it.
                #expect(owner.tail(20_000).contains("shards dropped"), "the resumed node's log: \(owner.tail())")
            }
        }

        @Test("Redis killed for 10 s mid-stream and restarted empty: clients still end with seq 1…N exactly once")
        func redisOutage() async throws {
            try await TestCluster.run(nodes: 2) { cluster in
                let location = "loc-redis"
                let conversations = (0..<2).map { (location: location, id: "redis-conv-\($0)") }
                #expect(await ClusterSuite.FanOut.stream(cluster, count: 2, conversations: conversations, prefix: "redis-first").count == 2)
                let probes = try await cluster.watchers(on: cluster.nodes, conversations: conversations.map(\.id))
                let redis = cluster.redis
                // 100 ms apart: Redis dies at the 20th and stays down for the last 100 (10 s); it
                // comes back empty after the last one, and nothing is posted after that: what the
                // clients of the non-owner missed reaches them only through the catch-up.
                let acked = await ClusterSuite.FanOut.stream(cluster, count: 120, conversations: conversations, prefix: "redis", interval: .milliseconds(100)) { i in
                    if i == 20 { redis.kill() }
                }
                try redis.start()
                #expect(acked.count == 120)
                try await cluster.expectGapFree(probes, on: cluster.nodes, conversations: conversations.map(\.id))
            }
        }
    }
}

import AsyncHTTPClient
import Foundation
import LiveHub
import NIOCore
import Testing

/// Any node takes any request: duplicates have one effect, clients move between nodes, and
/// authorization and settings are the same everywhere.
extension ClusterSuite {
    @Suite("Cluster: routing")
    struct Routing {
        @Test("the same webhook posted to three nodes at once has one effect; a client resumes on another node with since: N")
        func duplicatesAndResume() async throws {
            try await TestCluster.run(nodes: 3) { cluster in
                // Ten times over, one delivery reaches all three nodes at the same moment.
                for round in 0..<10 {
                    let body = try inboundMessage(location: "loc-dup", conversation: "dup-conv", contact: "contact-dup", message: "dup-\(round)")
                    let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                        for node in cluster.nodes { group.addTask { try await cluster.post(body, to: node).status } }
                        return try await group.reduce(into: [Int]()) { $0.append($1) }
                    }
                    #expect(statuses.allSatisfy { $0 == 200 }, "round \(round): \(statuses)")
                }
                let events = try await cluster.events("dup-conv")
                #expect(events.filter { $0.kind == "message.inbound" }.count == 10)
                expectGapFree(events.map(\.seq), head: events.last?.seq ?? 0, "stored events")

                // A client reads up to N on one node, leaves, and resumes on another mid-stream.
                let token = try await cluster.token()
                let first = try await WSProbe.connect(port: cluster.nodes[0].port, token: token)
                try await first.subscribe(conversation: "dup-conv")
                let n = try #require(events.last?.seq)
                try await first.waitForHead("conversation:dup-conv", n)
                await first.close()
                let more = Task { await ClusterSuite.FanOut.stream(cluster, count: 30, conversations: [(location: "loc-dup", id: "dup-conv")], prefix: "resume") }
                try await Task.sleep(for: .milliseconds(200))
                let second = try await WSProbe.connect(port: cluster.nodes[2].port, token: token)
                try await second.subscribe(conversation: "dup-conv", since: n)
                #expect(await more.value.count == 30)
                let head = try await ClusterSuite.FanOut.head(cluster, "dup-conv")
                try await second.waitForHead("conversation:dup-conv", head)
                let resumed = second.seqs("conversation:dup-conv")
                #expect(resumed == Array((n + 1)...head), "resumed from \(n): \(resumed.count) events, head \(head)")
                await second.close()
            }
        }

        @Test("an agent's authorization is the same on every node, ops work from every node, and a settings change on one node is in force on all")
        func authorizationAndSettings() async throws {
            try await TestCluster.run(nodes: 3) { cluster in
                for (location, conversation) in [("loc-mine", "auth-mine"), ("loc-other", "auth-other")] {
                    let body = try inboundMessage(location: location, conversation: conversation, contact: "contact-\(conversation)", message: "auth-\(conversation)")
                    #expect(await cluster.deliver(body, startingAt: 0))
                }
                let agent = try await cluster.token(role: .agent, user: "agent-1", locations: ["loc-mine"])
                for node in cluster.nodes {
                    let probe = try await WSProbe.connect(port: node.port, token: agent)
                    try await probe.subscribe(conversation: "auth-mine")
                    try await probe.subscribe(conversation: "auth-other")
                    let answers = probe.json.filter { $0["type"] as? String == "subscribed" || $0["type"] as? String == "error" }
                    #expect(answers.contains { $0["type"] as? String == "subscribed" && $0["topic"] as? String == "conversation:auth-mine" }, "\(node.id): \(answers)")
                    #expect(answers.contains { $0["type"] as? String == "error" && $0["code"] as? String == "forbidden" }, "\(node.id): \(answers)")
                    await probe.close()
                }
                // Ops on a conversation work from every node: the owner carries them out.
                let supervisorOps = try await cluster.token()
                for node in cluster.nodes {
                    let probe = try await WSProbe.connect(port: node.port, token: supervisorOps)
                    try await probe.send(#"{"op":"whisper","conversationId":"auth-mine","text":"from \#(node.id)"}"#)
                    try await probe.send(#"{"op":"ping"}"#)
                    try await probe.waitUntil(timeout: .seconds(20)) { $0.json.contains { $0["type"] as? String == "pong" } }
                    #expect(!probe.json.contains { $0["type"] as? String == "error" }, "\(node.id): \(probe.received)")
                    await probe.close()
                }
                let agentProbe = try await WSProbe.connect(port: cluster.nodes[1].port, token: agent)
                try await agentProbe.send(#"{"op":"reply.send","conversationId":"auth-mine","text":"Happy to help, when suits you?"}"#)
                try await agentProbe.send(#"{"op":"ping"}"#)
                try await agentProbe.waitUntil(timeout: .seconds(20)) { $0.json.contains { $0["type"] as? String == "pong" } }
                #expect(!agentProbe.json.contains { $0["type"] as? String == "error" }, "\(agentProbe.received)")
                await agentProbe.close()
                let events = try await cluster.events("auth-mine")
                #expect(events.filter { $0.kind == "whisper" }.count == 3, "\(events.map(\.kind))")
                // One reply queued (its later delivery outcome names the same outbox entry).
                let replies = Set(events.filter { $0.kind == "message.outbound" }.compactMap(\.outboxId))
                #expect(replies.count == 1, "\(events.filter { $0.kind == "message.outbound" }.map(\.data))")

                // A supervisor changes loc-mine's auto-responder on n1; n2 and n3 answer with it.
                let supervisor = try await cluster.token(role: .admin, user: "admin-1")
                var put = HTTPClientRequest(url: cluster.nodes[0].url + "/v1/locations/loc-mine/autoresponder")
                put.method = .PATCH
                put.headers.add(name: "authorization", value: "Bearer \(supervisor)")
                put.headers.add(name: "content-type", value: "application/json")
                put.body = .bytes(ByteBuffer(string: #"{"mode":"off"}"#))
                let response = try await HTTPClient.shared.execute(put, timeout: .seconds(10))
                let answer = String(buffer: try await response.body.collect(upTo: 1 << 16))
                #expect(response.status == .ok, "PATCH answered \(response.status): \(answer)")
                for node in cluster.nodes.dropFirst() {
                    var seen = ""
                    for _ in 0..<50 {
                        var get = HTTPClientRequest(url: node.url + "/v1/locations/loc-mine/autoresponder")
                        get.headers.add(name: "authorization", value: "Bearer \(supervisor)")
                        let r = try await HTTPClient.shared.execute(get, timeout: .seconds(10))
                        seen = String(buffer: try await r.body.collect(upTo: 1 << 16))
                        if seen.contains(#""mode":"off""#) { break }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    #expect(seen.contains(#""mode":"off""#), "\(node.id) answers \(seen)")
                }
            }
        }

        @Test("a negotiation opened from any node lives on its location's owner; offers logged on every node reach every node's watchers in seq order, gap-free")
        func negotiationsAcrossNodes() async throws {
            try await TestCluster.run(nodes: 2) { cluster in
                let body = try inboundMessage(location: "loc-neg", conversation: "neg-conv", contact: "contact-neg", message: "neg-1")
                #expect(await cluster.deliver(body, startingAt: 0))
                let token = try await cluster.token()
                var probes: [WSProbe] = []
                for node in cluster.nodes { probes.append(try await WSProbe.connect(port: node.port, token: token)) }
                // Opened through the node that does not own it as often as through the one that does.
                try await probes[1].send(#"{"op":"negotiation.open","conversationId":"neg-conv","listingPrice":300000,"side":"seller"}"#)
                try await probes[1].send(#"{"op":"ping"}"#)
                try await probes[1].waitUntil(timeout: .seconds(20)) { $0.json.contains { $0["type"] as? String == "pong" } }
                #expect(!probes[1].json.contains { $0["type"] as? String == "error" }, "\(probes[1].received)")
                for p in probes { try await p.send(#"{"op":"subscribe","topic":"negotiation:neg-conv","since":0}"#) }
                for (i, amount) in [280_000, 295_000, 285_000, 292_000].enumerated() {
                    let party = i % 2 == 0 ? "buyer" : "seller"
                    try await probes[i % 2].send(#"{"op":"offer.log","conversationId":"neg-conv","party":"\#(party)","amount":\#(amount)}"#)
                }
                for p in probes {
                    try await p.waitUntil(timeout: .seconds(30)) { $0.events(topic: "negotiation:neg-conv").filter { $0["kind"] as? String == "negotiation.offer" }.count == 4 }
                    let seqs = p.events(topic: "negotiation:neg-conv").compactMap { $0["seq"] as? Int }
                    #expect(seqs == Array(1...seqs.count), "\(seqs)")
                    #expect(!p.json.contains { $0["type"] as? String == "error" }, "\(p.received)")
                }
                let stored = try await cluster.events("negotiation:neg-conv")
                #expect(stored.filter { $0.kind == "negotiation.offer" }.count == 4)
                expectGapFree(stored.map(\.seq), head: stored.last?.seq ?? 0, "stored negotiation events")
                for p in probes { await p.close() }
            }
        }
    }
}

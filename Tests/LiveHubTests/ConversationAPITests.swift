import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import LiveHub

@Suite("HTTP API: /v1/conversations")
struct ConversationAPITests {
    func get(_ h: Harness, _ uri: String, token: String?) async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        let r = try await h.client.execute(uri: uri, method: .get, headers: headers)
        return (r.status, (try? JSONSerialization.jsonObject(with: Data(buffer: r.body))) as? [String: Any] ?? [:])
    }

    @Test("list, snapshot and paged history under the same access rules as the topics")
    func api() async throws {
        try await Harness.run { h in
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)
            let other = try GHLFixture.body("inbound-sms", ["webhookId": "wh-x", "messageId": "msg-x", "conversationId": "conv-x", "locationId": "loc-9"])
            #expect(try await h.post(other).status == .ok)
            let sup = try await h.token("sup-1", .supervisor)

            let (s0, _) = try await get(h, "/v1/conversations", token: nil)
            #expect(s0 == .unauthorized)
            let (s1, list) = try await get(h, "/v1/conversations?location=loc-1&state=active", token: sup)
            #expect(s1 == .ok)
            let ids = (list["conversations"] as? [[String: Any]])?.compactMap { $0["conversationId"] as? String }
            #expect(ids == ["conv-1"])
            #expect(try await get(h, "/v1/conversations?location=loc-9", token: sup).0 == .forbidden)
            for bad in ["-1", "0", "501", "many"] {
                let (status, body) = try await get(h, "/v1/conversations?limit=\(bad)", token: sup)
                #expect(status == .badRequest && body["error"] as? String == "invalid_parameter", "limit=\(bad)")
            }

            let (s2, snapshot) = try await get(h, "/v1/conversations/conv-1", token: sup)
            #expect(s2 == .ok)
            let head = try #require(snapshot["head"] as? Int)
            #expect(head == (try await h.events("conv-1")).count)
            #expect(try await get(h, "/v1/conversations/conv-x", token: sup).0 == .forbidden)
            #expect(try await get(h, "/v1/conversations/nope", token: sup).0 == .notFound)

            let (s3, page1) = try await get(h, "/v1/conversations/conv-1/events?after=0&limit=2", token: sup)
            #expect(s3 == .ok)
            let seqs1 = (page1["events"] as? [[String: Any]])?.compactMap { $0["seq"] as? Int }
            #expect(seqs1 == [1, 2] && page1["next"] as? Int == 2)
            let (_, page2) = try await get(h, "/v1/conversations/conv-1/events?after=2&limit=1000", token: sup)
            let seqs2 = (page2["events"] as? [[String: Any]])?.compactMap { $0["seq"] as? Int }
            #expect(seqs2 == Array(3...head) && page2["next"] is NSNull)
            #expect(try await get(h, "/v1/conversations/conv-1/events?limit=0", token: sup).0 == .badRequest)
            #expect(try await get(h, "/v1/conversations/conv-1/events?after=-1", token: sup).0 == .badRequest)
        }
    }
}

@Suite("Health and metrics")
struct MetricsTests {
    @Test("healthz, readyz and Prometheus metrics reflect what happened")
    func metrics() async throws {
        try await Harness.run { h in
            #expect(try await h.client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await h.client.execute(uri: "/readyz", method: .get).status == .ok)
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)  // duplicate
            #expect(try await h.post(Array("{}".utf8), signature: .some("bad")).status == .unauthorized)
            let p = try await h.subscribed("sup-1", .supervisor, to: "location:loc-1")
            let r = try await h.client.execute(uri: "/metrics", method: .get)
            let text = String(buffer: r.body)
            #expect(r.status == .ok)
            for line in [
                #"livehub_webhooks_total{outcome="ok"} 1"#, #"livehub_webhooks_total{outcome="duplicate"} 1"#,
                #"livehub_webhooks_total{outcome="invalid_signature"} 1"#, #"livehub_events_total{kind="analysis"} 1"#,
                "livehub_websocket_connections_count 1", "livehub_subscriptions_count 1", "livehub_actors_live_count 1",
                "livehub_webhook_to_socket_seconds_count 1",
            ] {
                #expect(text.contains(line), "missing \(line)")
            }
            #expect(text.contains("livehub_storage_commit_seconds_bucket"))
            await p.close()
        }
    }
}

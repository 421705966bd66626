import Hummingbird

/// `GET /metrics`: Prometheus text, with the gauges read at scrape time.
struct MetricsRoute: Sendable {
    let server: LiveHubServer

    func register(on router: Router<AppRequestContext>) {
        router.get("/metrics") { _, _ in
            let s = server
            let text = s.metrics.render(
                connections: s.counters.connections, subscriptions: s.hub.subscriptionCount, actors: s.directory.liveCount,
                commitBacklog: s.storage.health.commitBacklog, outbox: (try? await s.storage.outbox.unsettledCounts()) ?? [:])
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }
    }
}

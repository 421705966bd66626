import Actors
import Prometheus

/// The server's Prometheus metrics, in a registry owned by this server instance (several
/// servers can run in one test process without a global bootstrap).
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    private let commitLatency: DurationHistogram
    private let requestLatency: DurationHistogram
    private let fanoutLatency: DurationHistogram
    private let connectionsGauge: Gauge
    private let subscriptionsGauge: Gauge
    private let actorsGauge: Gauge
    private let backlogGauge: Gauge
    private let queueDrops: Counter
    private let ghlSendLatency: DurationHistogram
    /// One counter per event kind, made once: events are counted on every publish.
    private let eventCounters: [EventKind: Counter]

    init() {
        let latencyBuckets: [Duration] = [.microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1)]
        commitLatency = registry.makeDurationHistogram(
            descriptor: .init(namespace: "livehub", metricName: "storage_commit", unitName: "seconds", helpText: "Time to durably commit one group of writes"),
            buckets: latencyBuckets)
        requestLatency = registry.makeDurationHistogram(
            descriptor: .init(namespace: "livehub", metricName: "http_request", unitName: "seconds", helpText: "Time to answer an HTTP request"),
            buckets: latencyBuckets)
        fanoutLatency = registry.makeDurationHistogram(
            descriptor: .init(namespace: "livehub", metricName: "webhook_to_socket", unitName: "seconds", helpText: "From webhook received to its events queued on every subscribed socket"),
            buckets: latencyBuckets)
        ghlSendLatency = registry.makeDurationHistogram(
            descriptor: .init(namespace: "livehub", metricName: "ghl_send", unitName: "seconds", helpText: "One outbox send through GHL's API, retries included"),
            buckets: [.milliseconds(5), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)])
        let registry = self.registry
        eventCounters = Dictionary(uniqueKeysWithValues: EventKind.allCases.map { kind in
            (kind, registry.makeCounter(descriptor: .init(namespace: "livehub", metricName: "events", unitName: "total", helpText: "Conversation events by kind"), labels: [("kind", kind.rawValue)]))
        })
        connectionsGauge = registry.makeGauge(descriptor: .init(namespace: "livehub", metricName: "websocket_connections", unitName: "count", helpText: "Open WebSocket connections"))
        subscriptionsGauge = registry.makeGauge(descriptor: .init(namespace: "livehub", metricName: "subscriptions", unitName: "count", helpText: "Topic subscriptions"))
        actorsGauge = registry.makeGauge(descriptor: .init(namespace: "livehub", metricName: "actors_live", unitName: "count", helpText: "Conversation actors in memory"))
        backlogGauge = registry.makeGauge(descriptor: .init(namespace: "livehub", metricName: "commit_backlog", unitName: "count", helpText: "Writes waiting for a durable commit"))
        queueDrops = registry.makeCounter(descriptor: .init(namespace: "livehub", metricName: "queue_overflows", unitName: "total", helpText: "Topics resynced because a connection's queue was full"))
    }

    func webhook(outcome: String) {
        registry.makeCounter(descriptor: .init(namespace: "livehub", metricName: "webhooks", unitName: "total", helpText: "Webhooks by outcome"), labels: [("outcome", outcome)]).increment()
    }

    func events(_ events: [ConversationEvent]) {
        for e in events { eventCounters[e.kind]?.increment() }
    }

    /// One outbox send: how long GHL took and what came of it.
    func ghlSend(_ outcome: String, _ d: Duration) {
        ghlSendLatency.record(d)
        registry.makeCounter(descriptor: .init(namespace: "livehub", metricName: "ghl_sends", unitName: "total", helpText: "Outbox sends through GHL by outcome"), labels: [("outcome", outcome)])
            .increment()
    }

    /// One HTTP request, by matched route and status.
    func request(route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: .init(namespace: "livehub", metricName: "http_requests", unitName: "total", helpText: "HTTP requests by route and status"),
            labels: [("route", route), ("status", String(status))]
        ).increment()
        requestLatency.record(duration)
    }

    func commit(_ d: Duration) { commitLatency.record(d) }
    func fanout(_ d: Duration) { fanoutLatency.record(d) }
    func overflow() { queueDrops.increment() }

    /// Sets the gauges read at scrape time and renders the exposition text.
    func render(connections: Int, subscriptions: Int, actors: Int, commitBacklog: Int = 0, outbox: [OutboxState: Int] = [:]) -> [UInt8] {
        for state in OutboxState.unsettled {
            registry.makeGauge(
                descriptor: .init(namespace: "livehub", metricName: "outbox_entries", unitName: "count", helpText: "Outbox entries not yet settled, by state"),
                labels: [("state", state.rawValue)]
            ).set(Double(outbox[state] ?? 0))
        }
        connectionsGauge.set(Double(connections))
        subscriptionsGauge.set(Double(subscriptions))
        actorsGauge.set(Double(actors))
        backlogGauge.set(Double(commitBacklog))
        return registry.emitToBuffer()
    }
}

import Actors
import Prometheus
import Synchronization

/// The server's Prometheus metrics, in a registry owned by this server instance (several
/// servers can run in one test process without a global bootstrap).
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    private let commitLatency: DurationHistogram
    private let requestLatency: DurationHistogram
    private let fanoutLatency: DurationHistogram
    private let connectionsGauge: Gauge
    /// Made once: making a gauge looks up (and locks) the registry.
    private let outboxGauges: [OutboxState: Gauge]
    private let subscriptionsGauge: Gauge
    private let actorsGauge: Gauge
    private let backlogGauge: Gauge
    private let queueDrops: Counter
    private let refusedConnections: Counter
    private let ghlSendLatency: DurationHistogram
    /// One counter per event kind, made once: events are counted on every publish.
    private let eventCounters: [EventKind: Counter]
    /// Counted on every request: each label set's counter is made once.
    private let webhooks: CounterFamily
    private let ghlSends: CounterFamily
    private let httpRequests: CounterFamily

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
        webhooks = CounterFamily(registry, name: "webhooks", help: "Webhooks by outcome", labels: ["outcome"])
        ghlSends = CounterFamily(registry, name: "ghl_sends", help: "Outbox sends through GHL by outcome", labels: ["outcome"])
        httpRequests = CounterFamily(registry, name: "http_requests", help: "HTTP requests by route and status", labels: ["route", "status"])
        eventCounters = Dictionary(uniqueKeysWithValues: EventKind.allCases.map { kind in
            (kind, registry.makeCounter(descriptor: .init(namespace: "livehub", metricName: "events", unitName: "total", helpText: "Conversation events by kind"), labels: [("kind", kind.rawValue)]))
        })
        outboxGauges = Dictionary(uniqueKeysWithValues: OutboxState.unsettled.map { state in
            (state, registry.makeGauge(
                descriptor: .init(namespace: "livehub", metricName: "outbox_entries", unitName: "count", helpText: "Outbox entries not yet settled, by state"),
                labels: [("state", state.rawValue)]))
        })
        connectionsGauge = registry.makeGauge(descriptor: .init(namespace: "livehub", metricName: "websocket_connections", unitName: "count", helpText: "Open WebSocket connections"))
        subscriptionsGauge = registry.makeGauge(descriptor: .init(namespace: "livehub", metricName: "subscriptions", unitName: "count", helpText: "Topic subscriptions"))
        actorsGauge = registry.makeGauge(descriptor: .init(namespace: "livehub", metricName: "actors_live", unitName: "count", helpText: "Conversation actors in memory"))
        backlogGauge = registry.makeGauge(descriptor: .init(namespace: "livehub", metricName: "commit_backlog", unitName: "count", helpText: "Writes waiting for a durable commit"))
        refusedConnections = registry.makeCounter(
            descriptor: .init(namespace: "livehub", metricName: "connections_refused", unitName: "total", helpText: "Connections answered 503 past the connection limit"))
        queueDrops = registry.makeCounter(descriptor: .init(namespace: "livehub", metricName: "queue_overflows", unitName: "total", helpText: "Topics resynced because a connection's queue was full"))
    }

    func webhook(outcome: String) { webhooks.counter(outcome).increment() }

    func events(_ events: [ConversationEvent]) {
        for e in events { eventCounters[e.kind]?.increment() }
    }

    /// One outbox send: how long GHL took and what came of it.
    func ghlSend(_ outcome: String, _ d: Duration) {
        ghlSendLatency.record(d)
        ghlSends.counter(outcome).increment()
    }

    /// One HTTP request, by matched route and status.
    func request(route: String, status: Int, duration: Duration) {
        httpRequests.counter(route, String(status)).increment()
        requestLatency.record(duration)
    }

    func commit(_ d: Duration) { commitLatency.record(d) }
    func fanout(_ d: Duration) { fanoutLatency.record(d) }
    func overflow() { queueDrops.increment() }
    func connectionRefused() { refusedConnections.increment() }

    /// Sets the gauges read at scrape time and renders the exposition text.
    func render(connections: Int, subscriptions: Int, actors: Int, commitBacklog: Int = 0, outbox: [OutboxState: Int] = [:]) -> [UInt8] {
        for (state, gauge) in outboxGauges { gauge.set(Double(outbox[state] ?? 0)) }
        connectionsGauge.set(Double(connections))
        subscriptionsGauge.set(Double(subscriptions))
        actorsGauge.set(Double(actors))
        backlogGauge.set(Double(commitBacklog))
        return registry.emitToBuffer()
    }
}

/// The counters of one `livehub_<name>_total` metric, one per label values, each made in the
/// registry once (making one looks it up in the registry under its lock; this is a dictionary
/// read).
final class CounterFamily: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let name: String
    private let help: String
    private let labels: [String]
    private let made = Mutex<[[String]: Counter]>([:])

    init(_ registry: PrometheusCollectorRegistry, name: String, help: String, labels: [String]) {
        self.registry = registry
        self.name = name
        self.help = help
        self.labels = labels
    }

    func counter(_ values: String...) -> Counter {
        if let counter = made.withLock({ $0[values] }) { return counter }
        let descriptor = MetricNameDescriptor(namespace: "livehub", metricName: name, unitName: "total", helpText: help)
        let counter = registry.makeCounter(descriptor: descriptor, labels: Array(zip(labels, values)))
        made.withLock { $0[values] = counter }
        return counter
    }
}

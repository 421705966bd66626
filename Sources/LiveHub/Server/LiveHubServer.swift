import Actors
import AsyncHTTPClient
import Coaching
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle
import UnixSignals

/// A LiveHub node: everything a running server holds, built once from its configuration, its
/// storage and its event bus. The executable wires it to the embedded SQLite adapter; nothing
/// here knows which database it runs on.
package struct LiveHubServer: Sendable {
    package let config: ServerConfiguration
    package let storage: ServerStorage
    package let bus: any EventBus
    package let clock: ServerClock
    package let tokens: TokenAuthority
    let verifier: SignatureVerifier
    let hub: EventHub
    let directory: ConversationDirectory
    let negotiations: NegotiationDirectory
    let drafts: DraftService
    let locations: LocationRegistry
    let processor: WebhookProcessor
    let sender: OutboxSender
    let autoSettings: SettingsRegistry
    /// Nil unless an OAuth client is configured.
    let oauth: OAuthCredentials?
    let counters = GatewayCounters()
    let connections = ConnectionRegistry()
    let statsCache = StatsCache()
    let metrics: ServerMetrics
    let logger: Logger
    /// Set on a cluster node.
    let cluster: ClusterMembership?
    /// A cluster node's gap-free delivery of every node's commits.
    let fanout: ClusterFanout?

    /// Builds a node on `storage`. `generatedSecret` is true when this start created the JWT
    /// secret. `bus` carries what other nodes must see (one node: `LocalEventBus`).
    package static func open(
        _ config: ServerConfiguration, storage: ServerStorage, bus: any EventBus = LocalEventBus(), clock: ServerClock = .system,
        cluster: ClusterMembership? = nil, logger: Logger
    ) async throws -> (LiveHubServer, generatedSecret: Bool) {
        let metrics = ServerMetrics()
        storage.health.observeCommits { metrics.commit($0) }
        let (tokens, generated) = try await TokenAuthority.load(config)
        let verifier = try SignatureVerifier.load(config)
        let hub = EventHub(metrics: metrics)
        let engine = try CoachingEngine.bundled()
        let autoSettings = SettingsRegistry(try await storage.settings.all())
        let ownership = cluster?.ownership
        let owns: @Sendable (String) -> Bool = { location in ownership?.owns(location: location) ?? true }
        let locations = LocationRegistry(uninstalled: try await storage.webhooks.uninstalledLocations())
        let oauth = config.ghlClientId.flatMap { id in
            config.ghlClientSecret.map { secret in
                OAuthCredentials(
                    endpoint: OAuthTokenEndpoint(
                        baseURL: config.ghlAPIBaseURL, clientId: id, clientSecret: secret, redirectURI: config.ghlRedirectURI, http: GHLHTTP.client,
                        timeout: config.ghlRequestTimeout),
                    store: storage.credentials, logger: logger)
            }
        }
        let credentials = LocationCredentials(tokens: try StaticTokens.load(file: config.ghlTokensFile), oauth: oauth)
        let client = GHLClient(
            baseURL: config.ghlAPIBaseURL, http: GHLHTTP.client, credentials: credentials,
            limiter: RateLimiter(), clock: ContinuousClock(), requestTimeout: config.ghlRequestTimeout, logger: logger)
        let attribution = CallAttribution(config.callLeadChannel.map { .leadChannel($0) } ?? .byDirection)
        let router = NegotiationRouter(logger: logger)
        let drafts = DraftService(configuration: config.replyModel, http: GHLHTTP.client, reader: DraftContextReader(conversations: storage.conversations), logger: logger)
        let hotLeads = HotLeadDrafts(
            drafts: drafts, settings: autoSettings, bus: bus, advice: { id in
                guard let actor = try? await router.negotiations?.existing(id) else { return nil }
                return await actor.current.lastAdvice
            })
        let directory = ConversationDirectory(
            engine: engine, store: storage.conversations, publisher: FeedingPublisher(inner: CommitPublisher(bus: bus), router: router, hotLeads: hotLeads),
            timers: clock.timers,
            slaTarget: config.slaTarget, idleLimit: config.idlePassivation, maxLive: config.maxLiveConversations, autoSettings: autoSettings, wallClock: clock.now,
            owns: owns, calls: config.transcribeCalls ? GHLTranscripts(client: client, attribution: attribution) : nil, transcripts: config.transcriptPolicy)
        let negotiations = NegotiationDirectory(
            advisor: engine.advisor, store: storage.negotiations, publisher: SessionPublisher(bus: bus, router: router),
            reader: storage.conversations, idleLimit: config.idlePassivation, owns: owns)
        router.attach(negotiations: negotiations, conversations: directory)
        let processor = WebhookProcessor(storage: storage, directory: directory, locations: locations, oauth: oauth)
        let sender = OutboxSender(
            outbox: storage.outbox, client: client, directory: directory, autoSettings: autoSettings, metrics: metrics, clock: clock, logger: logger,
            paused: config.outboxPaused, owns: owns)
        sender.reconciler.withLock { $0 = OutboxReconciler(outbox: storage.outbox, client: client, sender: sender, logger: logger) }
        let fanout = cluster.map { _ in
            ClusterFanout(hub: hub, conversations: storage.conversations, summarize: { autoSettings.summary(of: $0) }, logger: logger)
        }
        // This node's share of what the bus carries: its sockets, its settings, its sender.
        bus.subscribe { message in
            switch message {
            case .committed(let commit):
                if let fanout { await fanout.deliver(commit) } else { hub.publish(commit) }
            case .presence(let presence): hub.publish(presence)
            case .settingsChanged(let change):
                autoSettings.set(change.settings, for: change.location)
                hub.publish(change)
            case .outboxQueued: sender.notify()
            case .negotiation(let n):
                if let fanout { await fanout.deliver(n) } else { hub.publish(n) }
            case .toAgent(let f): hub.broadcast(ServerFrame(text: f.text, topic: "agent:" + f.user, seq: nil), to: "agent:" + f.user)
            }
        }
        // Cut off from the other nodes and back: what they committed meanwhile is read from the
        // database, and settings changed meanwhile are read again.
        bus.onReconnect {
            await fanout?.catchUp()
            if let all = try? await storage.settings.all() {
                for (location, settings) in all { autoSettings.set(settings, for: location) }
            }
        }
        let server = LiveHubServer(
            config: config, storage: storage, bus: bus, clock: clock, tokens: tokens, verifier: verifier, hub: hub, directory: directory,
            negotiations: negotiations, drafts: drafts, locations: locations, processor: processor, sender: sender, autoSettings: autoSettings, oauth: oauth, metrics: metrics, logger: logger,
            cluster: cluster, fanout: fanout)
        try await server.coordinator?.start()
        return (server, generated)
    }

    /// A cluster node's lease keeper: a lost shard's actors leave at once; a taken one's
    /// uninstalled locations are read again (they were another node's to know).
    var coordinator: ClusterCoordinator? {
        guard let cluster else { return nil }
        let directory = self.directory
        let negotiations = self.negotiations
        let map = cluster.ownership.map
        let webhooks = storage.webhooks
        let locations = self.locations
        let maintenance = MaintenanceService(directory: directory, conversations: storage.conversations, webhooks: webhooks, clock: clock, logger: logger)
        return ClusterCoordinator(
            store: cluster.store, ownership: cluster.ownership, address: cluster.address, lease: cluster.lease, logger: logger,
            onLost: { shards in
                let lost = Set(shards)
                await directory.dropAll { lost.contains(map.shard(ofLocation: $0)) }
                await negotiations.dropAll { lost.contains(map.shard(ofLocation: $0)) }
            },
            onAcquired: { _ in
                if let uninstalled = try? await webhooks.uninstalledLocations() { locations.replace(uninstalled) }
            },
            // The scheduled work of conversations taken over (SLA checks, held replies) is armed
            // now rather than at the next sweep.
            onServing: { _ in await maintenance.sweep() })
    }

    /// `POST /webhooks/ghl`, as the router and the input driver (fuzzers) both serve it.
    var webhookRoutes: WebhookRoutes {
        WebhookRoutes(
            verifier: verifier, processor: processor, locations: locations, config: config, metrics: metrics, health: storage.health, clock: clock,
            logger: logger, cluster: cluster)
    }

    func router() -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        HealthRoutes(health: storage.health).register(on: router)
        MetricsRoute(server: self).register(on: router)
        webhookRoutes.register(on: router)
        OAuthRoutes(oauth: oauth, logger: logger).register(on: router)
        gateway.register(on: router)
        ConsoleRoutes(assets: config.console.assetsDirectory.map(ConsoleAssets.directory) ?? .bundled(), frameAncestors: config.console.frameAncestors).register(on: router)
        let sessions = SessionRoutes(tokens: tokens, tickets: storage.loginTickets, console: config.console, slaSeconds: config.slaTarget.inSeconds, clock: clock)
        sessions.register(public: router)
        let api = router.group("/v1").add(middleware: AuthenticationMiddleware(tokens: tokens))
        sessions.register(authenticated: api)
        ConversationRoutes(conversations: storage.conversations, directory: directory, autoSettings: autoSettings).register(on: api)
        AutoResponderRoutes(settings: autoSettings, store: storage.settings, bus: bus, clock: clock).register(on: api)
        LocationStatsRoutes(conversations: storage.conversations, autoSettings: autoSettings, sla: config.slaTarget.inSeconds, clock: clock, cache: statsCache)
            .register(on: api)
        return router
    }

    var gateway: WebSocketGateway {
        WebSocketGateway(
            tokens: tokens, hub: hub, conversations: storage.conversations, directory: directory, negotiations: negotiations,
            negotiationStore: storage.negotiations, drafts: drafts, config: config, metrics: counters, registry: connections,
            outbox: storage.outbox, sender: sender, autoSettings: autoSettings, bus: bus, clock: clock, logger: logger, fanout: fanout, cluster: cluster)
    }

    /// The application and the WebSocket drain in one service group. Graceful shutdown (SIGINT,
    /// SIGTERM) runs in reverse order: WebSockets are closed with 1001 first, then the HTTP
    /// server stops accepting and finishes the webhooks in flight, then pending commits drain.
    ///
    /// Graceful shutdown is bounded: after `shutdownGrace` whatever has not finished (a client
    /// that never completes its request, a socket that never drains) is cancelled — and what is
    /// cancelled was never acknowledged, so nothing acknowledged is lost. A service that ignored
    /// cancellation for `shutdownGrace` more ends the process.
    package func serviceGroup(_ app: some ApplicationProtocol, signals: [UnixSignal] = [.sigterm, .sigint]) -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(services: [app, WebSocketDrainService(registry: connections)], gracefulShutdownSignals: signals, logger: logger)
        configuration.maximumGracefulShutdownDuration = config.shutdownGrace
        configuration.maximumCancellationDuration = config.shutdownGrace
        return ServiceGroup(configuration: configuration)
    }

    /// The Hummingbird application; `onServerRunning` gets the port it listens on.
    package func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = router()
        let limits = LiveHubChannel.Limits(firstHeadTimeout: config.requestHeadTimeout, idleTimeout: config.httpIdleTimeout, requestTimeout: config.requestTimeout)
        let endpoint = gateway.endpoint
        let metrics = self.metrics
        let connectionLimit = ConnectionLimit(maximum: config.effectiveMaxConnections(logger: logger), onRefusal: { metrics.connectionRefused() })
        return Application(
            router: router,
            server: HTTPServerBuilder { responder in LiveHubChannel(responder: responder, limits: limits, connections: connectionLimit, webSocket: endpoint) },
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "LiveHub"),
            services: [
                MaintenanceService(
                    directory: directory, negotiations: negotiations, conversations: storage.conversations, webhooks: storage.webhooks, clock: clock, logger: logger),
                sender,
            ] + (coordinator.map { [$0] } ?? []),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}

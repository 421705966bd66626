import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import ServiceLifecycle
import UnixSignals
import HummingbirdCore
import Actors
import AsyncHTTPClient
import Coaching

/// Everything a running server holds, built once from configuration.
struct LiveHubServer: Sendable {
    let config: ServerConfiguration
    let storage: Storage
    let store: SQLiteConversationStore
    let tokens: TokenAuthority
    let verifier: SignatureVerifier
    let hub: EventHub
    let directory: ConversationDirectory
    let locations: LocationRegistry
    let processor: WebhookProcessor
    let outbox: OutboxStore
    let sender: OutboxSender
    let autoSettings: SettingsRegistry
    let settingsStore: SettingsStore
    /// Nil unless an OAuth client is configured.
    let oauth: OAuthCredentials?
    let counters = GatewayCounters()
    let connections = ConnectionRegistry()
    let metrics: ServerMetrics
    let logger: Logger

    /// Opens storage and keys. `generatedSecret` is true when this start created the JWT secret.
    /// `timers` drives SLA timers (tests pass a `ManualClock`).
    static func open(_ config: ServerConfiguration, logger: Logger, timers: any Clock<Duration> = ContinuousClock()) async throws -> (LiveHubServer, generatedSecret: Bool) {
        let metrics = ServerMetrics()
        let storage = try Storage(directory: config.dataURL, hardLimit: 2 * config.maxCommitBacklog, onCommit: { metrics.commit($0) })
        let store = SQLiteConversationStore(storage: storage)
        let (tokens, generated) = try await TokenAuthority.load(config)
        let verifier = try SignatureVerifier.load(config)
        let hub = EventHub(metrics: metrics)
        let engine = try CoachingEngine.bundled()
        let settingsStore = SettingsStore(storage: storage)
        let autoSettings = SettingsRegistry(try await settingsStore.all())
        let directory = ConversationDirectory(
            engine: engine, store: store, publisher: hub, timers: timers, slaTarget: config.slaTarget, idleLimit: config.idlePassivation,
            maxLive: config.maxLiveConversations, autoSettings: autoSettings)
        let locations = LocationRegistry(uninstalled: try await store.uninstalledLocations())
        let outbox = OutboxStore(storage: storage)
        let oauth = config.ghlClientId.flatMap { id in
            config.ghlClientSecret.map { secret in
                OAuthCredentials(
                    endpoint: OAuthTokenEndpoint(
                        baseURL: config.ghlAPIBaseURL, clientId: id, clientSecret: secret, redirectURI: config.ghlRedirectURI, http: GHLHTTP.client,
                        timeout: config.ghlRequestTimeout),
                    store: OAuthTokenStore(storage: storage), logger: logger)
            }
        }
        let processor = WebhookProcessor(store: store, directory: directory, locations: locations, outbox: outbox, oauth: oauth)
        let credentials = LocationCredentials(tokens: try StaticTokens.load(file: config.ghlTokensFile), oauth: oauth)
        let client = GHLClient(
            baseURL: config.ghlAPIBaseURL, http: GHLHTTP.client, credentials: credentials,
            limiter: RateLimiter(), clock: ContinuousClock(), requestTimeout: config.ghlRequestTimeout, logger: logger)
        let sender = OutboxSender(outbox: outbox, client: client, directory: directory, metrics: metrics, logger: logger, paused: config.outboxPaused)
        sender.reconciler.withLock { $0 = OutboxReconciler(outbox: outbox, client: client, sender: sender, logger: logger) }
        hub.onOutboxInsert { sender.notify() }
        let server = LiveHubServer(
            config: config, storage: storage, store: store, tokens: tokens, verifier: verifier, hub: hub, directory: directory,
            locations: locations, processor: processor, outbox: outbox, sender: sender, autoSettings: autoSettings, settingsStore: settingsStore,
            oauth: oauth, metrics: metrics, logger: logger)
        return (server, generated)
    }

    func router() -> Router<AppContext> {
        let router = Router(context: AppContext.self)
        HealthRoutes(storage: storage).register(on: router)
        WebhookRoutes(
            verifier: verifier, processor: processor, locations: locations, config: config, metrics: metrics, backlog: { storage.committer.backlog }, logger: logger
        ).register(on: router)
        router.get("/metrics") { _, _ in
            let text = metrics.render(
                connections: counters.connections, subscriptions: hub.subscriptionCount, actors: await directory.liveCount, commitBacklog: storage.committer.backlog,
                outbox: (try? await outbox.unsettledCounts()) ?? [:])
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }
        ConversationRoutes(tokens: tokens, store: store, directory: directory, autoSettings: autoSettings).register(on: router)
        AutoResponderRoutes(tokens: tokens, settings: autoSettings, store: settingsStore, hub: hub).register(on: router)
        OAuthRoutes(oauth: oauth, logger: logger).register(on: router)
        gateway.register(on: router)
        return router
    }

    var gateway: WebSocketGateway {
        WebSocketGateway(
            tokens: tokens, hub: hub, store: store, directory: directory, config: config, metrics: counters, registry: connections,
            outbox: outbox, sender: sender, autoSettings: autoSettings, logger: logger)
    }

    /// The application and the WebSocket drain in one service group. Graceful shutdown (SIGINT,
    /// SIGTERM) runs in reverse order: WebSockets are closed with 1001 first, then the HTTP
    /// server stops accepting and finishes the webhooks in flight, then pending commits drain.
    ///
    /// Graceful shutdown is bounded: after `shutdownGrace` whatever has not finished (a client
    /// that never completes its request, a socket that never drains) is cancelled — and what is
    /// cancelled was never acknowledged, so nothing acknowledged is lost. A service that ignored
    /// cancellation for `shutdownGrace` more ends the process.
    func serviceGroup(_ app: some ApplicationProtocol, signals: [UnixSignal] = [.sigterm, .sigint]) -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(services: [app, WebSocketDrainService(registry: connections)], gracefulShutdownSignals: signals, logger: logger)
        configuration.maximumGracefulShutdownDuration = config.shutdownGrace
        configuration.maximumCancellationDuration = config.shutdownGrace
        return ServiceGroup(configuration: configuration)
    }

    /// The Hummingbird application.
    func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = router()
        // Frames up to 1 MiB are read so that anything over the 64 KiB protocol limit gets an
        // error frame instead of a dropped connection; auto-ping closes dead peers.
        let limits = LiveHubChannel.Limits(firstHeadTimeout: config.requestHeadTimeout, idleTimeout: config.httpIdleTimeout, requestTimeout: config.requestTimeout)
        let endpoint = gateway.endpoint
        let connectionLimit = ConnectionLimit(maximum: config.maxConnections)
        return Application(
            router: router,
            server: HTTPServerBuilder { responder in LiveHubChannel(responder: responder, limits: limits, connections: connectionLimit, webSocket: endpoint) },
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "LiveHub"),
            services: [MaintenanceService(directory: directory, store: store, logger: logger), sender],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}

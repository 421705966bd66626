import ArgumentParser
import Foundation
import LiveHub
import LiveHubSQLite
import LiveHubTools
import Logging
import NIOCore

/// `livehub serve`: one node on its embedded defaults (SQLite in the data directory,
/// in-process fan-out). Every setting is an environment variable; these flags override them
/// (secrets come from the environment only: a flag shows in `ps`).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the LiveHub server.",
        discussion: "Every option is also an environment variable (named after each option); a flag wins over the variable. Secrets (LIVEHUB_JWT_SECRET, LIVEHUB_GHL_CLIENT_SECRET) and the cluster's URLs (LIVEHUB_DATABASE_URL, LIVEHUB_REDIS_URL, which may hold passwords) are read from the environment only.")

    static let defaults = ServerConfiguration()

    @Option(name: .long, help: "Address to bind (LIVEHUB_HOST; default \(defaults.host)).") var host: String?
    @Option(name: .long, help: "Port (LIVEHUB_PORT; default \(defaults.port); 0 picks a free one).") var port: String?
    @Option(name: .long, help: "Data directory: SQLite, JWT secret, dev keys (LIVEHUB_DATA_DIR; default \(defaults.dataDirectory)).") var dataDir: String?
    @Option(name: .long, help: "trace|debug|info|notice|warning|error|critical (LIVEHUB_LOG_LEVEL; default \(defaults.logLevel)).") var logLevel: String?
    @Option(name: .long, help: "text|json (LIVEHUB_LOG_FORMAT; default \(defaults.logFormat.rawValue)).") var logFormat: String?
    @Option(name: .long, help: "PEM file of an Ed25519 key whose access tokens are also accepted (LIVEHUB_JWT_EDDSA_PUBLIC_KEY).") var jwtEddsaPublicKey: String?
    @Option(name: .long, help: "Comma-separated PEM files of GHL's Ed25519 webhook keys (LIVEHUB_GHL_PUBLIC_KEYS; default GHL's published key).") var ghlPublicKeys: String?
    @Option(name: .long, help: "Comma-separated PEM files of legacy RSA webhook keys (LIVEHUB_GHL_RSA_KEYS; default none).") var ghlRsaKeys: String?
    @Flag(name: .long, help: "Trust the dev key `livehub webhook send` signs with (LIVEHUB_TRUST_DEV_WEBHOOK_KEY; default off).") var trustDevWebhookKey = false
    @Flag(name: .long, help: "DEVELOPMENT ONLY: accept unsigned webhooks (LIVEHUB_DEV_SKIP_SIGNATURE_CHECK; default off).") var devSkipSignatureCheck = false
    @Option(name: .long, help: "Seconds a webhook's timestamp may lag (LIVEHUB_REPLAY_WINDOW; default \(Int(defaults.replayWindow.inSeconds))).") var replayWindow: String?
    @Option(name: .long, help: "First-response target in seconds (LIVEHUB_SLA_SECONDS; default \(Int(defaults.slaTarget.inSeconds))).") var slaSeconds: String?
    @Option(name: .long, help: "Seconds before an idle conversation leaves memory (LIVEHUB_IDLE_SECONDS; default \(Int(defaults.idlePassivation.inSeconds))).") var idleSeconds: String?
    @Option(name: .long, help: "Conversation actors kept in memory at most (LIVEHUB_MAX_LIVE_CONVERSATIONS; default \(defaults.maxLiveConversations)).") var maxLiveConversations: String?
    @Option(name: .long, help: "Frames queued per WebSocket before a topic is resynced (LIVEHUB_WS_QUEUE_LIMIT; default \(defaults.outboundQueueLimit)).") var wsQueueLimit: String?
    @Option(name: .long, help: "Open connections at most; past it new ones get 503 (LIVEHUB_MAX_CONNECTIONS; default \(defaults.maxConnections)).") var maxConnections: String?
    @Option(name: .long, help: "Seconds a new connection has to send its first request head (LIVEHUB_REQUEST_HEAD_TIMEOUT; default \(Int(defaults.requestHeadTimeout.inSeconds))).") var requestHeadTimeout: String?
    @Option(name: .long, help: "Seconds to read a request and write its answer, from its head (LIVEHUB_REQUEST_TIMEOUT; default \(Int(defaults.requestTimeout.inSeconds))).") var requestTimeout: String?
    @Option(name: .long, help: "Seconds an idle keep-alive connection stays open (LIVEHUB_HTTP_IDLE_TIMEOUT; default \(Int(defaults.httpIdleTimeout.inSeconds))).") var httpIdleTimeout: String?
    @Option(name: .long, help: "Seconds between the server's pings on each WebSocket; one left unanswered closes it (LIVEHUB_WS_PING_INTERVAL; default \(Int(defaults.webSocketPingInterval.inSeconds))).") var wsPingInterval: String?
    @Option(name: .long, help: "Writes waiting for a durable commit before webhooks get 503 (LIVEHUB_MAX_COMMIT_BACKLOG; default \(defaults.maxCommitBacklog)).") var maxCommitBacklog: String?
    @Option(name: .long, help: "Seconds graceful shutdown waits before cancelling what has not finished (LIVEHUB_SHUTDOWN_GRACE; default \(Int(defaults.shutdownGrace.inSeconds))).") var shutdownGrace: String?
    @Option(name: .long, help: "GHL's REST API (LIVEHUB_GHL_API_URL; default \(defaults.ghlAPIBaseURL)).") var ghlApiUrl: String?
    @Option(name: .long, help: "JSON file {\"locationId\": \"token\"} of Private Integration Tokens (LIVEHUB_GHL_TOKENS; default none).") var ghlTokens: String?
    @Option(name: .long, help: "Seconds before a GHL request's outcome counts as unknown (LIVEHUB_GHL_TIMEOUT; default \(Int(defaults.ghlRequestTimeout.inSeconds))).") var ghlTimeout: String?
    @Option(name: .long, help: "The marketplace app's OAuth client id; its secret comes from LIVEHUB_GHL_CLIENT_SECRET (LIVEHUB_GHL_CLIENT_ID).") var ghlClientId: String?
    @Option(name: .long, help: "Redirect URL sent with the OAuth code exchange (LIVEHUB_GHL_REDIRECT_URI).") var ghlRedirectUri: String?
    @Flag(name: .long, help: "Hold every outbound send; replies stay queued (LIVEHUB_OUTBOX_PAUSED; default off).") var outboxPaused = false
    @Option(name: .long, help: "This node's name in a cluster (LIVEHUB_NODE_ID; default generated and printed).") var nodeId: String?
    @Option(name: .long, help: "The URL other nodes reach this one at (LIVEHUB_ADVERTISE_URL; default http://HOST:PORT).") var advertiseUrl: String?
    @Option(name: .long, help: "Seconds a shard lease lasts unless renewed (LIVEHUB_LEASE_SECONDS; default \(Int(defaults.leaseDuration.inSeconds))).") var leaseSeconds: String?
    @Option(name: .long, help: "Seconds a forwarded webhook may wait for its owner before 503 (LIVEHUB_FORWARD_TIMEOUT; default \(Int(defaults.forwardTimeout.inSeconds))).") var forwardTimeout: String?

    /// The flags given, by the environment variable each one overrides.
    var flags: [String: String] {
        var out: [String: String] = [:]
        func add(_ variable: String, _ value: String?) { if let value { out[variable] = value } }
        add("LIVEHUB_HOST", host)
        add("LIVEHUB_PORT", port)
        add("LIVEHUB_DATA_DIR", dataDir)
        add("LIVEHUB_LOG_LEVEL", logLevel)
        add("LIVEHUB_LOG_FORMAT", logFormat)
        add("LIVEHUB_JWT_EDDSA_PUBLIC_KEY", jwtEddsaPublicKey)
        add("LIVEHUB_GHL_PUBLIC_KEYS", ghlPublicKeys)
        add("LIVEHUB_GHL_RSA_KEYS", ghlRsaKeys)
        add("LIVEHUB_TRUST_DEV_WEBHOOK_KEY", trustDevWebhookKey ? "1" : nil)
        add("LIVEHUB_DEV_SKIP_SIGNATURE_CHECK", devSkipSignatureCheck ? "1" : nil)
        add("LIVEHUB_REPLAY_WINDOW", replayWindow)
        add("LIVEHUB_SLA_SECONDS", slaSeconds)
        add("LIVEHUB_IDLE_SECONDS", idleSeconds)
        add("LIVEHUB_MAX_LIVE_CONVERSATIONS", maxLiveConversations)
        add("LIVEHUB_WS_QUEUE_LIMIT", wsQueueLimit)
        add("LIVEHUB_MAX_CONNECTIONS", maxConnections)
        add("LIVEHUB_REQUEST_HEAD_TIMEOUT", requestHeadTimeout)
        add("LIVEHUB_REQUEST_TIMEOUT", requestTimeout)
        add("LIVEHUB_HTTP_IDLE_TIMEOUT", httpIdleTimeout)
        add("LIVEHUB_WS_PING_INTERVAL", wsPingInterval)
        add("LIVEHUB_MAX_COMMIT_BACKLOG", maxCommitBacklog)
        add("LIVEHUB_SHUTDOWN_GRACE", shutdownGrace)
        add("LIVEHUB_GHL_API_URL", ghlApiUrl)
        add("LIVEHUB_GHL_TOKENS", ghlTokens)
        add("LIVEHUB_GHL_TIMEOUT", ghlTimeout)
        add("LIVEHUB_GHL_CLIENT_ID", ghlClientId)
        add("LIVEHUB_GHL_REDIRECT_URI", ghlRedirectUri)
        add("LIVEHUB_OUTBOX_PAUSED", outboxPaused ? "1" : nil)
        add("LIVEHUB_NODE_ID", nodeId)
        add("LIVEHUB_ADVERTISE_URL", advertiseUrl)
        add("LIVEHUB_LEASE_SECONDS", leaseSeconds)
        add("LIVEHUB_FORWARD_TIMEOUT", forwardTimeout)
        return out
    }

    /// The environment, then the flags; an invalid value names where it came from.
    func resolvedConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerConfiguration {
        var c = ServerConfiguration()
        try c.apply(environment: environment)
        try c.apply(flags, naming: Self.flag(of:))
        return c
    }

    /// The flag that overrides a variable, named after it: `LIVEHUB_DATA_DIR` → `--data-dir`.
    static func flag(of variable: String) -> String {
        "--" + variable.dropFirst("LIVEHUB_".count).lowercased().replacingOccurrences(of: "_", with: "-")
    }

    func run() async throws {
        let config: ServerConfiguration
        do {
            config = try resolvedConfiguration()
        } catch {
            throw CommandError("\(error)")
        }
        LogSetup.bootstrap(level: config.logLevel, format: config.logFormat)
        let logger = Logger(label: "livehub")
        do {
            let node = try await ServerNode.open(config, logger: logger)
            let app = node.server.application { port in
                let base = "http://\(config.host):\(port)"
                Console.say("LiveHub listening on \(base) (\(node.description))")
                Console.say("Console: \(base)/ (sign in with a one-time link: swift run livehub login-link --role supervisor --user USER_ID --location LOCATION_ID --url \(base))")
                if node.generatedSecret { await Self.printFirstRun(server: node.server, base: base) }
            }
            defer { node.close() }
            try await node.server.serviceGroup(app).run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw CommandError("port \(config.port) on \(config.host) is already in use (is another LiveHub running?). Stop it, or choose another port with --port or LIVEHUB_PORT.")
        } catch let error as StorageOpenError {
            throw CommandError(error.description)
        } catch let error as ConfigurationError {
            throw CommandError(error.description)
        } catch let error as ClusterStartError {
            throw CommandError(error.description)
        }
    }

    static func printFirstRun(server: LiveHubServer, base: String) async {
        let token = AccessToken.make(user: "supervisor", role: .supervisor, locations: ["*"], lifetime: 30 * 86_400)
        guard let signed = try? await server.tokens.sign(token) else { return }
        Console.say("""
            First start: generated a JWT secret in \(server.config.dataURL.appendingPathComponent("jwt-secret").path) (mode 0600).
            A supervisor token for every location, valid 30 days:
              \(signed)
            Mint more with: swift run livehub token --role agent --user USER_ID --location LOCATION_ID
            """)
    }
}

/// Writes straight to standard output: `print` is buffered when output is redirected, and the
/// banner must appear before the server runs for hours.
enum Console {
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

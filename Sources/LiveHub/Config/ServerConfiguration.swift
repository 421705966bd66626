import Actors
import LiveHubLLM
import Foundation
import Logging

/// Every setting of `livehub serve`. Each has an environment variable and a flag; flags win.
/// The README's configuration table lists them.
package struct ServerConfiguration: Sendable {
    package init() {}

    package var host = "127.0.0.1"
    package var port = 8080
    /// Where SQLite, the JWT secret and dev keys live.
    package var dataDirectory = "./.livehub"
    package var logLevel: Logger.Level = .info
    package var logFormat: LogFormat = .text
    /// HS256 secret for agent tokens; nil → read or generate `<data>/jwt-secret`.
    package var jwtSecret: String?
    /// Optional Ed25519 public key (PEM file) also accepted for agent tokens.
    package var jwtEdDSAPublicKeyFile: String?
    /// PEM files with GHL's Ed25519 webhook keys; empty → GHL's published key.
    package var ghlPublicKeyFiles: [String] = []
    /// PEM files with legacy RSA keys; `x-wh-signature` is checked only when one is set.
    package var ghlRSAKeyFiles: [String] = []
    /// Trust `<data>/dev-webhook-key.pub`, the key `livehub webhook send` signs with.
    package var trustDevWebhookKey = false
    /// Development only: accept unsigned webhooks (logs a warning on every request).
    package var insecureSkipSignatureCheck = false
    /// Webhooks whose body `timestamp` is older than this are refused (GHL retries late).
    package var replayWindow: Duration = .seconds(24 * 3600)
    package var maxWebhookBytes = 1 << 20
    /// First-response target before an `sla_breach` alert.
    package var slaTarget: Duration = .seconds(120)
    /// Conversations idle this long leave memory (they rehydrate from storage on demand).
    package var idlePassivation: Duration = .seconds(30 * 60)
    /// Frames a WebSocket connection may have queued before its topic is resynced.
    package var outboundQueueLimit = 1_024
    package var maxFrameBytes = 64 * 1024
    /// GHL's REST API (tests point it at a local fake).
    package var ghlAPIBaseURL = "https://services.leadconnectorhq.com"
    /// JSON file `{"locationId": "private-integration-token"}`.
    package var ghlTokensFile: String?
    /// The marketplace app's OAuth client; both set → locations can authorize LiveHub through
    /// `GET /oauth/callback`. The secret comes from the environment only (flags show in `ps`).
    package var ghlClientId: String?
    package var ghlClientSecret: String?
    /// Sent with the code exchange when set; must equal the app's redirect URL.
    package var ghlRedirectURI: String?
    /// How long a GHL API request may take before its outcome counts as unknown.
    package var ghlRequestTimeout: Duration = .seconds(10)
    /// Hold every outbound send (replies stay queued) until the server restarts without it.
    package var outboxPaused = false
    /// A connection must deliver its first request head within this of opening.
    package var requestHeadTimeout: Duration = .seconds(10)
    /// A request must be read and answered within this of its head.
    package var requestTimeout: Duration = .seconds(30)
    /// A keep-alive connection with no request for this long is closed.
    package var httpIdleTimeout: Duration = .seconds(60)
    /// The server pings each WebSocket this often, and closes one that left the previous ping
    /// unanswered (a peer gone without closing is found within two intervals).
    package var webSocketPingInterval: Duration = .seconds(30)
    /// Open connections (HTTP and WebSocket) at most; past it new ones are answered 503 and closed.
    package var maxConnections = 20_000
    /// Graceful shutdown cancels what has not finished after this.
    package var shutdownGrace: Duration = .seconds(10)
    /// Conversation actors kept in memory at most (least recently used idle ones leave first).
    package var maxLiveConversations = 50_000
    /// Writes waiting for a durable commit at most; past it webhooks get 503 with Retry-After.
    package var maxCommitBacklog = 4_096

    /// The cluster's shared log (`postgres://…`); nil → the embedded SQLite in the data directory.
    package var databaseURL: String?
    /// The cluster's fan-out (`redis://…`); nil → in-process fan-out (one node).
    package var redisURL: String?
    /// This node's name in the cluster; nil → generated at start and printed.
    package var nodeId: String?
    /// The URL other nodes reach this one at (webhook forwarding); nil → `http://host:port`.
    package var advertiseURL: String?
    /// How long a shard lease lasts unless renewed; a dead node's shards move after at most this.
    package var leaseDuration: Duration = .seconds(6)
    /// How long a webhook that reached a non-owner may wait for the owner's answer before 503.
    package var forwardTimeout: Duration = .seconds(8)

    /// Fetch the transcripts of completed calls from GHL and coach them.
    package var transcribeCalls = true
    /// When and how often a call's transcript is asked for.
    package var transcriptPolicy = TranscriptPolicy()
    /// The transcript channel that is always the lead's; nil → told by the call's direction.
    package var callLeadChannel: String?

    /// The language model that drafts replies (`LIVEHUB_LLM_*`); nil → drafts are unavailable.
    package var replyModel: ReplyModelConfiguration?
    /// The web console: sign-in inside GHL, framing, browser token lifetime.
    package var console = ConsoleConfiguration()

    /// True when this node is one of a cluster (a shared database).
    package var isClustered: Bool { databaseURL != nil }

    package enum LogFormat: String, Sendable { case text, json }

    package var dataURL: URL { URL(fileURLWithPath: dataDirectory, isDirectory: true) }

    /// Applies `LIVEHUB_*` environment variables; invalid values are errors that name the variable.
    package mutating func apply(environment env: [String: String]) throws {
        try apply(env, naming: { $0 })
    }

    /// Applies settings given by their environment names; an invalid value is an error that
    /// calls it what `name` says (a flag's spelling when the value came from a flag).
    package mutating func apply(_ env: [String: String], naming name: (String) -> String) throws {
        func duration(_ key: String) throws -> Duration? {
            guard let raw = env[key] else { return nil }
            guard let seconds = Double(raw), seconds >= 0 else { throw ConfigurationError("\(name(key)) must be a number of seconds, got \"\(raw)\"") }
            return .milliseconds(Int64(seconds * 1000))
        }
        func positiveDuration(_ key: String) throws -> Duration? {
            guard let d = try duration(key) else { return nil }
            guard d > .zero else { throw ConfigurationError("\(name(key)) must be more than 0 seconds") }
            return d
        }
        func count(_ key: String, minimum: Int) throws -> Int? {
            guard let raw = env[key] else { return nil }
            guard let n = Int(raw), n >= minimum else { throw ConfigurationError("\(name(key)) must be a whole number ≥ \(minimum), got \"\(raw)\"") }
            return n
        }
        func list(_ key: String) -> [String]? {
            env[key].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        }
        func bool(_ key: String) throws -> Bool? {
            guard let raw = env[key]?.lowercased() else { return nil }
            switch raw {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off", "": return false
            default: throw ConfigurationError("\(name(key)) must be true or false, got \"\(raw)\"")
            }
        }
        if let v = env["LIVEHUB_HOST"] { host = v }
        if let v = env["LIVEHUB_PORT"] {
            guard let p = Int(v), (0...65535).contains(p) else { throw ConfigurationError("\(name("LIVEHUB_PORT")) must be a port number (0–65535), got \"\(v)\"") }
            port = p
        }
        if let v = env["LIVEHUB_DATA_DIR"] { dataDirectory = v }
        if let v = env["LIVEHUB_LOG_LEVEL"] {
            guard let level = Logger.Level(rawValue: v.lowercased()) else { throw ConfigurationError("\(name("LIVEHUB_LOG_LEVEL")) must be trace, debug, info, notice, warning, error or critical") }
            logLevel = level
        }
        if let v = env["LIVEHUB_LOG_FORMAT"] {
            guard let format = LogFormat(rawValue: v.lowercased()) else { throw ConfigurationError("\(name("LIVEHUB_LOG_FORMAT")) must be json or text") }
            logFormat = format
        }
        if let v = env["LIVEHUB_JWT_SECRET"], !v.isEmpty { jwtSecret = v }
        if let v = env["LIVEHUB_JWT_EDDSA_PUBLIC_KEY"], !v.isEmpty { jwtEdDSAPublicKeyFile = v }
        if let v = list("LIVEHUB_GHL_PUBLIC_KEYS") { ghlPublicKeyFiles = v }
        if let v = list("LIVEHUB_GHL_RSA_KEYS") { ghlRSAKeyFiles = v }
        if let v = try bool("LIVEHUB_TRUST_DEV_WEBHOOK_KEY") { trustDevWebhookKey = v }
        if let v = try bool("LIVEHUB_DEV_SKIP_SIGNATURE_CHECK") { insecureSkipSignatureCheck = v }
        if let v = try duration("LIVEHUB_REPLAY_WINDOW") { replayWindow = v }
        if let v = try duration("LIVEHUB_SLA_SECONDS") { slaTarget = v }
        if let v = try duration("LIVEHUB_IDLE_SECONDS") { idlePassivation = v }
        if let v = env["LIVEHUB_GHL_API_URL"], !v.isEmpty { ghlAPIBaseURL = v.hasSuffix("/") ? String(v.dropLast()) : v }
        if let v = env["LIVEHUB_GHL_TOKENS"], !v.isEmpty { ghlTokensFile = v }
        if let v = env["LIVEHUB_GHL_CLIENT_ID"], !v.isEmpty { ghlClientId = v }
        if let v = env["LIVEHUB_GHL_CLIENT_SECRET"], !v.isEmpty { ghlClientSecret = v }
        if let v = env["LIVEHUB_GHL_REDIRECT_URI"], !v.isEmpty { ghlRedirectURI = v }
        if (ghlClientId == nil) != (ghlClientSecret == nil) {
            throw ConfigurationError("LIVEHUB_GHL_CLIENT_ID and LIVEHUB_GHL_CLIENT_SECRET must be set together")
        }
        if let v = try bool("LIVEHUB_OUTBOX_PAUSED") { outboxPaused = v }
        if let v = env["LIVEHUB_DATABASE_URL"], !v.isEmpty {
            guard v.hasPrefix("postgres://") || v.hasPrefix("postgresql://") else {
                throw ConfigurationError("\(name("LIVEHUB_DATABASE_URL")) must be a postgres:// URL (leave it unset for the embedded SQLite)")
            }
            databaseURL = v
        }
        if let v = env["LIVEHUB_REDIS_URL"], !v.isEmpty {
            guard v.hasPrefix("redis://") else { throw ConfigurationError("\(name("LIVEHUB_REDIS_URL")) must be a redis:// URL") }
            redisURL = v
        }
        if redisURL != nil, databaseURL == nil {
            throw ConfigurationError("LIVEHUB_REDIS_URL needs LIVEHUB_DATABASE_URL: Redis carries a cluster's fan-out, PostgreSQL its log")
        }
        if let v = env["LIVEHUB_NODE_ID"], !v.isEmpty {
            guard v.count <= 64, v.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
                throw ConfigurationError("\(name("LIVEHUB_NODE_ID")) must be at most 64 letters, digits, '-', '_' or '.'")
            }
            nodeId = v
        }
        if let v = env["LIVEHUB_ADVERTISE_URL"], !v.isEmpty {
            guard v.hasPrefix("http://") || v.hasPrefix("https://") else { throw ConfigurationError("\(name("LIVEHUB_ADVERTISE_URL")) must be an http:// or https:// URL") }
            advertiseURL = v.hasSuffix("/") ? String(v.dropLast()) : v
        }
        if let v = try positiveDuration("LIVEHUB_LEASE_SECONDS") {
            guard v >= .seconds(2) else { throw ConfigurationError("\(name("LIVEHUB_LEASE_SECONDS")) must be at least 2 seconds") }
            leaseDuration = v
        }
        if let v = try positiveDuration("LIVEHUB_FORWARD_TIMEOUT") { forwardTimeout = v }
        if let v = try bool("LIVEHUB_TRANSCRIBE_CALLS") { transcribeCalls = v }
        do {
            if let m = try ReplyModelConfiguration.fromEnvironment(env) { replyModel = m }
        } catch {
            throw ConfigurationError(String(describing: error))
        }
        if let v = try duration("LIVEHUB_TRANSCRIPT_FIRST_DELAY") { transcriptPolicy.firstDelay = v.inSeconds }
        if let v = try positiveDuration("LIVEHUB_TRANSCRIPT_BACKOFF") { transcriptPolicy.backoff = v.inSeconds }
        if let v = try count("LIVEHUB_TRANSCRIPT_ATTEMPTS", minimum: 1) { transcriptPolicy.maxAttempts = v }
        if let v = env["LIVEHUB_CALL_LEAD_CHANNEL"], !v.isEmpty {
            guard v.count <= 16 else { throw ConfigurationError("\(name("LIVEHUB_CALL_LEAD_CHANNEL")) must be a transcript channel, such as 1 or 2") }
            callLeadChannel = v
        }
        try console.apply(env, naming: name)
        if let v = try duration("LIVEHUB_GHL_TIMEOUT") { ghlRequestTimeout = v }
        if let v = try positiveDuration("LIVEHUB_REQUEST_HEAD_TIMEOUT") { requestHeadTimeout = v }
        if let v = try positiveDuration("LIVEHUB_REQUEST_TIMEOUT") { requestTimeout = v }
        if let v = try positiveDuration("LIVEHUB_HTTP_IDLE_TIMEOUT") { httpIdleTimeout = v }
        if let v = try positiveDuration("LIVEHUB_WS_PING_INTERVAL") { webSocketPingInterval = v }
        if let v = try positiveDuration("LIVEHUB_SHUTDOWN_GRACE") { shutdownGrace = v }
        if let v = try count("LIVEHUB_MAX_CONNECTIONS", minimum: 1) { maxConnections = v }
        if let v = try count("LIVEHUB_MAX_LIVE_CONVERSATIONS", minimum: 1) { maxLiveConversations = v }
        if let v = try count("LIVEHUB_MAX_COMMIT_BACKLOG", minimum: 1) { maxCommitBacklog = v }
        if let v = env["LIVEHUB_WS_QUEUE_LIMIT"] {
            guard let n = Int(v), n >= 8 else { throw ConfigurationError("\(name("LIVEHUB_WS_QUEUE_LIMIT")) must be a number of frames ≥ 8, got \"\(v)\"") }
            outboundQueueLimit = n
        }
    }
}

extension ServerConfiguration {
    /// `maxConnections`, lowered to what the process may open: each connection is a file
    /// descriptor, and past the limit (`ulimit -n`) accepting fails before ours can answer 503.
    /// A reserve is kept for the database, logs and outgoing connections.
    package func effectiveMaxConnections(logger: Logger) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < UInt(Int.max) else { return maxConnections }
        let fit = max(1, Int(limit.rlim_cur) - 256)
        guard fit < maxConnections else { return maxConnections }
        logger.warning(
            "LIVEHUB_MAX_CONNECTIONS lowered to what the file descriptor limit allows; raise it with ulimit -n",
            metadata: ["configured": .stringConvertible(maxConnections), "allowed": .stringConvertible(fit), "ulimit": .stringConvertible(limit.rlim_cur)])
        return fit
    }
}

/// A setting that cannot be used, with words that name it and say what it must be.
package struct ConfigurationError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

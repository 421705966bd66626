import Foundation
import LiveHub
import LiveHubPostgres
import LiveHubRedis
import LiveHubSQLite
import Logging

/// A node as `livehub serve` runs it: the server core wired to its adapters — the embedded
/// SQLite and in-process fan-out by default, or, given `LIVEHUB_DATABASE_URL`, PostgreSQL as
/// the cluster's log with shard leases, and Redis (`LIVEHUB_REDIS_URL`) as its fan-out.
struct ServerNode {
    let server: LiveHubServer
    let generatedSecret: Bool
    /// What the banner says about where this node keeps its data.
    let description: String
    private let closeAdapters: @Sendable () -> Void

    func close() { closeAdapters() }

    static func open(_ config: ServerConfiguration, logger: Logger) async throws -> ServerNode {
        guard let url = config.databaseURL else {
            let storage = try SQLiteStorage(directory: config.dataURL, maxCommitBacklog: config.maxCommitBacklog)
            let (server, generated) = try await LiveHubServer.open(config, storage: storage.ports, logger: logger)
            return ServerNode(server: server, generatedSecret: generated, description: "data in \(config.dataDirectory)", closeAdapters: {})
        }
        var config = config
        let nodeId = config.nodeId ?? "node-" + UUID().uuidString.prefix(8).lowercased()
        guard config.advertiseURL != nil || config.port != 0 else {
            throw ClusterStartError("a cluster node needs a fixed port (LIVEHUB_PORT) or LIVEHUB_ADVERTISE_URL: other nodes must know where to reach it")
        }
        let address = config.advertiseURL ?? "http://\(config.host):\(config.port)"
        let ownership = ShardOwnership(node: nodeId)
        let database = try await PostgresStorage.connect(url: url, fence: ownership, maxCommitBacklog: config.maxCommitBacklog, logger: logger)
        // Every node signs and checks access tokens with one secret, kept in the shared database
        // unless the operator sets LIVEHUB_JWT_SECRET.
        if config.jwtSecret == nil {
            config.jwtSecret = try await database.cluster.jwtSecret()
        }
        let forwarding = try await database.cluster.forwardingSecret()
        let bus: any EventBus
        let redis: RedisEventBus?
        if let redisURL = config.redisURL {
            let endpoint: RedisEndpoint
            do { endpoint = try RedisEndpoint(url: redisURL) } catch { throw ClusterStartError("LIVEHUB_REDIS_URL: \(error)") }
            let r = RedisEventBus(endpoint: endpoint, node: nodeId, logger: logger)
            r.start()
            (bus, redis) = (r, r)
        } else {
            logger.warning("LIVEHUB_DATABASE_URL without LIVEHUB_REDIS_URL: this node's sockets see only the events it commits itself")
            (bus, redis) = (LocalEventBus(), nil)
        }
        let membership = ClusterMembership(
            ownership: ownership, store: database.cluster, forwarder: WebhookForwarder(node: nodeId, secret: forwarding), address: address,
            lease: config.leaseDuration)
        let (server, _) = try await LiveHubServer.open(config, storage: database.ports, bus: bus, cluster: membership, logger: logger)
        let description = "cluster node \(nodeId) at \(address); PostgreSQL \(Self.redacted(url))" + (config.redisURL.map { ", Redis \(Self.redacted($0))" } ?? "")
        return ServerNode(
            server: server, generatedSecret: false, description: description,
            closeAdapters: {
                redis?.close()
                Task { await database.shutdown() }
            })
    }

    /// A URL without its password, for the banner and logs.
    static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url) else { return "(unparsable URL)" }
        if parts.password != nil { parts.password = "***" }
        return parts.string ?? "(unparsable URL)"
    }
}

/// A cluster setting that keeps a node from starting, in words that say what to change.
struct ClusterStartError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

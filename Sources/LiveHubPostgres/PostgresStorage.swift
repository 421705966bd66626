import LiveHub
import Logging
import PostgresNIO

/// LiveHub's cluster storage: every storage port of the server (`ports`) and the state the
/// nodes share (`cluster`), in one PostgreSQL database that all nodes use. The ports keep the
/// embedded SQLite adapter's semantics exactly; each durable write is committed (with
/// `synchronous_commit` on) before it returns. With a `ShardFence`, every conversation commit
/// is made under its shard's lease and refused once that lease has moved on.
///
/// `connect` migrates and checks the database, then opens the pools; `shutdown` closes them.
package final class PostgresStorage: Sendable {
    package let ports: ServerStorage
    package let cluster: any ClusterStore
    let database: PostgresDatabase

    init(database: PostgresDatabase, fence: (any ShardFence)?) {
        self.database = database
        ports = ServerStorage(
            conversations: PostgresConversationStore(database: database, fence: fence), webhooks: PostgresWebhookLedger(database: database, fence: fence),
            outbox: PostgresOutboxStore(database: database), settings: PostgresSettingsStore(database: database),
            credentials: PostgresCredentialStore(database: database), health: PostgresHealth(database: database),
            negotiations: PostgresNegotiationStore(database: database, fence: fence), loginTickets: PostgresLoginTickets(database: database))
        cluster = PostgresClusterStore(database: database)
    }

    /// Connects to `url` (`postgres://user[:password]@host[:port]/database`, TLS off), applies
    /// pending migrations, refuses a database with `synchronous_commit = off` (a webhook must
    /// be durable before its 2xx), and opens the connection pools. Webhooks are turned away
    /// once `maxCommitBacklog` writes are in flight; other writes at twice that.
    ///
    /// Throws `PostgresURLError` for a malformed URL, `PostgresStorageError` otherwise.
    package static func connect(url: String, fence: (any ShardFence)?, maxCommitBacklog: Int, logger: Logger) async throws -> PostgresStorage {
        let target = try PostgresURL(parsing: url)
        try await withSetupConnection(target, logger: logger) { connection in
            try await PostgresMigrations.run(on: connection, logger: logger)
            var setting = ""
            for try await value in try await connection.query("SHOW synchronous_commit", logger: logger).decode(String.self) { setting = value }
            guard setting != "off" else { throw PostgresStorageError.synchronousCommitOff }
        }
        return PostgresStorage(database: PostgresDatabase(target, logger: logger, hardLimit: 2 * maxCommitBacklog), fence: fence)
    }

    /// Applies pending migrations only (`livehub migrate`). Safe while nodes start or run: all
    /// of them migrate under one advisory lock.
    package static func migrate(url: String, logger: Logger) async throws {
        let target = try PostgresURL(parsing: url)
        try await withSetupConnection(target, logger: logger) { connection in
            let applied = try await PostgresMigrations.run(on: connection, logger: logger)
            logger.info("database migrated", metadata: ["applied": "\(applied)", "database": "\(target.redacted)"])
        }
    }

    /// Closes the connection pools. Writes in flight fail with `PostgresStorageError.connection`.
    package func shutdown() async {
        await database.shutdown()
    }

    /// One connection outside the pools for start-up work, so that an unreachable database or a
    /// refused login fails at once with its reason (a pool would retry quietly).
    private static func withSetupConnection(_ url: PostgresURL, logger: Logger, _ body: (PostgresConnection) async throws -> Void) async throws {
        let configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: .disable)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        } catch {
            let reason: String
            switch PostgresStorageError.describing(error) {
            case PostgresStorageError.server(_, let message): reason = message
            case PostgresStorageError.connection(let message): reason = message
            case let other: reason = "\(other)"
            }
            throw PostgresStorageError.unreachable(url: url.redacted, reason: reason)
        }
        do {
            try await body(connection)
        } catch {
            try? await connection.close()
            throw PostgresStorageError.describing(error)
        }
        try? await connection.close()
    }
}

import Logging
import NIOCore
import PostgresNIO

/// The pooled connections to the cluster's database, and the helpers every store runs its
/// statements through: errors in words (`PostgresStorageError`), transactions that throw the
/// body's own error, and durable writes counted against the commit backlog (`CommitGate`).
final class PostgresDatabase: Sendable {
    /// Connections for the stores. Each node holds at most this many; with the lock pool, three
    /// nodes stay well under PostgreSQL's default `max_connections` of 100.
    static let poolSize = 12
    /// Connections that hold OAuth refresh locks. Kept apart because a lock holder saves the new
    /// grant through `client`: if holders could take every connection of `client`, each would
    /// wait for one of the others forever.
    static let lockPoolSize = 4
    /// Connections for the cluster's own statements (heartbeats, lease renewals): a node whose
    /// commits are behind must still renew its leases, so these never queue behind commits.
    static let leasePoolSize = 2

    let client: PostgresClient
    let locks: PostgresClient
    let leases: PostgresClient
    let logger: Logger
    let gate: CommitGate
    private let runs: [Task<Void, Never>]

    init(_ url: PostgresURL, logger: Logger, hardLimit: Int) {
        func configuration(maximum: Int, minimum: Int) -> PostgresClient.Configuration {
            var c = PostgresClient.Configuration(host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: .disable)
            c.options.maximumConnections = maximum
            c.options.minimumConnections = minimum
            return c
        }
        client = PostgresClient(configuration: configuration(maximum: Self.poolSize, minimum: 2), backgroundLogger: logger)
        locks = PostgresClient(configuration: configuration(maximum: Self.lockPoolSize, minimum: 0), backgroundLogger: logger)
        leases = PostgresClient(configuration: configuration(maximum: Self.leasePoolSize, minimum: 1), backgroundLogger: logger)
        self.logger = logger
        gate = CommitGate(hardLimit: hardLimit)
        // The pools lease connections only while `run()` runs; `shutdown` cancels them.
        // `immediate`: `run()` marks the pool running before its first suspension, so no lease
        // can come first (PostgresNIO warns about such a lease).
        runs = [client, locks, leases].map { c in Task.immediate { await c.run() } }
    }

    deinit {
        for run in runs { run.cancel() }
    }

    /// Closes every connection; the stores fail afterwards.
    func shutdown() async {
        for run in runs { run.cancel() }
        for run in runs { await run.value }
    }

    /// Runs `body` on a connection of its own from `pool` (the stores' by default); statements
    /// outside a transaction autocommit.
    func withConnection<T: Sendable>(on pool: PostgresClient? = nil, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await (pool ?? client).withConnection { connection in try await body(connection) }
        } catch {
            throw PostgresStorageError.describing(error)
        }
    }

    /// Runs `body` in a transaction on a connection of `pool` (the stores' by default): committed
    /// when it returns, rolled back when it throws, and then its error is the one thrown.
    func transaction<T: Sendable>(on pool: PostgresClient? = nil, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let logger = self.logger
        do {
            return try await (pool ?? client).withConnection { connection in
                try await connection.withTransaction(logger: logger) { c in try await body(c) }
            }
        } catch {
            throw PostgresStorageError.describing(error)
        }
    }

    /// A durable write in one transaction, counted in the backlog; `observed` writes (the
    /// conversations' commits) report their duration to the commit observers.
    func write<T: Sendable>(observed: Bool = false, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await gate.admit(observed: observed) { try await transaction(body) }
    }

    /// One statement, durable when it returns (it commits alone), counted in the backlog unless
    /// `counted` is false (the cluster's own statements, run on their own pool); true when it
    /// returned a row (`… RETURNING`: whether a conditional change happened).
    @discardableResult
    func writeStatement(_ query: PostgresQuery, counted: Bool = true) async throws -> Bool {
        let logger = self.logger
        guard counted else { return try await withConnection(on: leases) { c in try await c.query(query, logger: logger).hasRow() } }
        return try await gate.admit(observed: false) {
            try await withConnection { c in try await c.query(query, logger: logger).hasRow() }
        }
    }
}

extension PostgresConnection {
    /// Runs a statement whose rows, if any, are not needed.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        _ = try await self.query(query, logger: logger).hasRow()
    }
}

extension PostgresRowSequence {
    /// Whether the statement returned a row; reads the rest so the connection is free again.
    func hasRow() async throws -> Bool {
        var any = false
        for try await _ in self { any = true }
        return any
    }
}

/// Why the PostgreSQL storage failed, in words an operator can act on. Server errors keep
/// PostgreSQL's SQLSTATE and message (never the statement's values, which may be secrets).
package enum PostgresStorageError: Error, Equatable, CustomStringConvertible {
    /// The database could not be reached or refused the connection (at start-up).
    case unreachable(url: String, reason: String)
    /// `synchronous_commit` is off: a commit could be lost after LiveHub answered 2xx.
    case synchronousCommitOff
    /// Too many writes wait for a commit; refused at once instead of queueing without limit.
    case overloaded
    /// PostgreSQL refused a statement (23505: a duplicate key).
    case server(sqlState: String, message: String)
    /// The connection failed (closed, cancelled, pool shut down): the outcome of a write in
    /// flight is unknown.
    case connection(String)
    /// A scheduled item came without its encoded work.
    case missingWork(conversationId: String, kind: String)

    /// A unique or primary key was violated (a duplicate receipt, message id or event seq).
    package var isDuplicateKey: Bool {
        if case .server("23505", _) = self { return true }
        return false
    }

    package var description: String {
        switch self {
        case .unreachable(let url, let reason): return "cannot use the PostgreSQL database \(url): \(reason)"
        case .synchronousCommitOff:
            return "the database has synchronous_commit = off: a webhook could be acknowledged and then lost. Set it to on (ALTER DATABASE … SET synchronous_commit = on)."
        case .overloaded: return "the storage is behind: too many writes are waiting for a commit"
        case .server(let state, let message): return "PostgreSQL refused the statement (\(state)): \(message)"
        case .connection(let reason): return "the connection to PostgreSQL failed (\(reason)); the outcome of a write in flight is unknown"
        case .missingWork(let id, let kind): return "conversation \(id): scheduled \(kind) came without its encoded work"
        }
    }

    /// `error` in these terms: PostgresNIO's errors say only "Generic description" to keep
    /// values out of logs; the SQLSTATE and the server's message are safe and say what happened.
    /// Other errors (a `ClusterError`, a cancellation) pass through unchanged.
    static func describing(_ error: any Error) -> any Error {
        switch error {
        case let e as PostgresTransactionError:
            // The body's error is the one that matters; a failed rollback closes the connection anyway.
            guard let inner = e.closureError ?? e.commitError ?? e.beginError ?? e.rollbackError else { return error }
            return describing(inner)
        case let e as PSQLError:
            if let state = e.serverInfo?[.sqlState] { return PostgresStorageError.server(sqlState: state, message: e.serverInfo?[.message] ?? "") }
            return PostgresStorageError.connection(e.underlying.map { "\(e.code): \($0)" } ?? "\(e.code)")
        default:
            return error
        }
    }
}

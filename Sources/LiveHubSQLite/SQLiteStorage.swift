import Foundation
import GRDB
import LiveHub

/// LiveHub's embedded storage: one SQLite database in the data directory, providing every
/// storage port of the server (`ports`). Nothing to install; durable at `synchronous=FULL`.
package final class SQLiteStorage: Sendable {
    let database: SQLiteDatabase
    package let ports: ServerStorage

    /// Opens (creating and migrating) `directory/livehub.sqlite`. Webhooks are turned away once
    /// `maxCommitBacklog` writes wait for a commit; other writes at twice that.
    package init(directory: URL, maxCommitBacklog: Int = ServerConfiguration().maxCommitBacklog) throws {
        let observers = CommitObservers()
        let database = try SQLiteDatabase(directory: directory, hardLimit: 2 * maxCommitBacklog, onCommit: { observers.notify($0) })
        self.database = database
        ports = ServerStorage(
            conversations: SQLiteConversationStore(database: database), webhooks: SQLiteWebhookLedger(database: database),
            outbox: SQLiteOutboxStore(database: database), settings: SQLiteSettingsStore(database: database),
            credentials: SQLiteCredentialStore(database: database), health: SQLiteHealth(database: database, observers: observers),
            negotiations: SQLiteNegotiationStore(database: database), loginTickets: SQLiteLoginTickets(database: database))
    }
}

/// Readiness and commit backlog of the database, and who hears of each commit's duration.
struct SQLiteHealth: StorageHealth {
    let database: SQLiteDatabase
    let observers: CommitObservers

    func isWritable() async -> Bool { await database.isWritable() }
    var commitBacklog: Int { database.committer.backlog }
    func observeCommits(_ observer: @escaping @Sendable (Duration) -> Void) { observers.add(observer) }
}

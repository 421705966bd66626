import GRDB

/// The statements every webhook, send and load runs are prepared once per connection and
/// reused. For statements this small, preparing (SQLite's parser and planner, GRDB's
/// authorizer) costs about as much as running them; a profile of the outbox draining a backlog
/// showed it in every commit and every load.
extension Database {
    /// Runs `sql`, prepared once on this connection.
    func executeCached(_ sql: String, _ arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}

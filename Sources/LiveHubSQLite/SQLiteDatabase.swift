import Foundation
import GRDB

/// The SQLite database (WAL mode, `synchronous=FULL`) in the data directory, migrated to the
/// current schema (`Migrations.swift`).
///
/// FULL makes every commit durable before it returns — LiveHub acknowledges webhooks only after
/// their commit — and `GroupCommitter` keeps that affordable by sharing commits between
/// concurrent writers.
final class SQLiteDatabase: Sendable {
    let pool: DatabasePool
    let committer: GroupCommitter

    /// `hardLimit`: writes that may wait for a commit before more are refused (`GroupCommitter`).
    init(directory: URL, hardLimit: Int, onCommit: @escaping @Sendable (Duration) -> Void = { _ in }) throws(StorageOpenError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .directory(directory.path, Self.reason(error))
        }
        guard FileManager.default.isWritableFile(atPath: directory.path) else { throw .directory(directory.path, "it is not writable by this user") }
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA busy_timeout = 5000")
        }
        let path = directory.appendingPathComponent("livehub.sqlite").path
        do {
            pool = try DatabasePool(path: path, configuration: config)
            // GRDB resets `synchronous` to NORMAL for WAL pools; durability needs FULL.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.migrator.migrate(pool)
        } catch {
            throw .database(path, Self.reason(error))
        }
        committer = GroupCommitter(pool: pool, hardLimit: hardLimit, onCommit: onCommit)
    }

    /// An error's own words, without Foundation's domain and code.
    static func reason(_ error: any Error) -> String {
        if let db = error as? DatabaseError { return db.message ?? "\(db.resultCode)" }
        if let cocoa = error as? CocoaError {
            switch cocoa.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: return "a parent folder does not exist or cannot be created there"
            case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
            case .fileWriteVolumeReadOnly: return "the file system is read-only"
            case .fileWriteOutOfSpace: return "the disk is full"
            case .fileWriteFileExists: return "a file (not a folder) is in the way"
            default: break
            }
        }
        return error.localizedDescription.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
    }

    /// All rows of a keyset query, read `pageSize` at a time so that no read holds them all.
    /// `sql` takes the last page's key and the page size: `… WHERE k > ? ORDER BY k LIMIT ?`.
    func readPages<T: Sendable>(
        _ sql: String, pageSize: Int = 500, key: @escaping @Sendable (T) -> String, row: @escaping @Sendable (Row) -> T
    ) async throws -> [T] {
        var out: [T] = []
        var after = ""
        while true {
            let from = after
            let page = try await pool.read { db in try Row.fetchAll(db, sql: sql, arguments: [from, pageSize]).map(row) }
            out += page
            guard page.count == pageSize, let last = page.last else { return out }
            after = key(last)
        }
    }

    func isWritable() async -> Bool {
        do {
            try await pool.write { db in try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS ready_probe(x); DROP TABLE ready_probe") }
            return true
        } catch {
            return false
        }
    }
}

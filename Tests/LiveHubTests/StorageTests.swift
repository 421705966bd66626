import Dispatch
import Foundation
import GRDB
import Synchronization
import Testing

@testable import LiveHub
@testable import LiveHubSQLite

@Suite("Storage")
struct StorageTests {
    /// A fresh store with table `t`, one write holding the writer, and `count` writes queued behind
    /// it; returns the number of queued writes that failed once the first is released.
    func lineUp(_ count: Int, id: @escaping @Sendable (Int) -> Int) async throws -> (SQLiteDatabase, failures: Int) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-gc-\(UUID().uuidString)")
        let storage = try SQLiteDatabase(directory: dir, hardLimit: 8_192)
        try await storage.pool.write { db in try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY)") }
        let gate = DispatchSemaphore(value: 0)
        let running = Atomic(false)
        let first = Task {
            try await storage.committer.commit { db in
                running.store(true, ordering: .releasing)
                gate.wait()
                try db.execute(sql: "INSERT INTO t (id) VALUES (-1)")
            }
        }
        // The first is running (holding the writer) before the others queue behind it.
        while !running.load(ordering: .acquiring) { await Task.yield() }
        let others = Task {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<count {
                    group.addTask {
                        do {
                            try await storage.committer.commit { db in try db.execute(sql: "INSERT INTO t (id) VALUES (?)", arguments: [id(i)]) }
                            return false
                        } catch {
                            return true
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
        }
        while storage.committer.queued < count { await Task.yield() }
        gate.signal()
        try await first.value
        return (storage, try await others.value)
    }

    @Test("100 writes queued behind a running commit take one commit")
    func oneCommitForAGroup() async throws {
        let (storage, failures) = try await lineUp(100) { $0 }
        #expect(failures == 0)
        #expect(storage.committer.commits == 2)
        #expect(storage.committer.writes == 101)
    }

    @Test("a failing write in a group fails alone; the others land; FULL and WAL are in force")
    func failingWrite() async throws {
        // Write 50 twice: the second violates the primary key.
        let (storage, failures) = try await lineUp(100) { $0 == 99 ? 50 : $0 }
        #expect(failures == 1)
        let count = try await storage.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") }
        #expect(count == 100)
        #expect(storage.committer.writes == 100)
        let sync = try await storage.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(sync == 2)
        let wal = try await storage.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(wal == "wal")
    }
}

@Suite("Storage migrations")
struct MigrationTests {
    @Test("a lead waiting (since less than a day) in a database from before scheduled work gets its SLA check; older waits get none; the state reads")
    func legacyWaiting() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-mig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("livehub.sqlite").path
        let since = (Date().timeIntervalSince1970 - 100).rounded()
        do {
            let old = try DatabaseQueue(path: path)
            try SQLiteDatabase.migrator.migrate(old, upTo: "v4-oauth")
            try await old.write { db in
                func summary(_ id: String, waitingSince: Double, alertedFor: Double? = nil) -> Data {
                    let alerted = alertedFor.map { ",\"slaAlertedFor\":\($0)" } ?? ""
                    return Data(#"{"conversationId":"\#(id)","locationId":"L","mode":"suggest","state":"waiting","waitingSince":\#(waitingSince)\#(alerted),"optedOutChannels":[],"head":2}"#.utf8)
                }
                for (id, json) in [("c1", summary("c1", waitingSince: since)), ("c2", summary("c2", waitingSince: since, alertedFor: since)), ("c3", summary("c3", waitingSince: 1_000))] {
                    // The summary was stored as a BLOB, as GRDB stores Data.
                    try db.execute(sql: "INSERT INTO conversation (id, location_id, head, updated_at, summary) VALUES (?, 'L', 2, 0, ?)", arguments: [id, json])
                }
            }
        }
        let store = try SQLiteStorage(directory: dir).ports.conversations
        let c1 = try #require(try await store.load(conversationId: "c1"))
        #expect(c1.state.waitingSince == since && c1.state.head == 2)
        #expect(c1.scheduled.map(\.work) == [.slaCheck(waitingSince: since)] && c1.scheduled.first?.dueAt == since + 120)
        #expect(try #require(try await store.load(conversationId: "c2")).scheduled.isEmpty)  // already alerted
        #expect(try #require(try await store.load(conversationId: "c3")).scheduled.isEmpty)  // waiting since 1970
    }
}

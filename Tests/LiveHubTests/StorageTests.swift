import Dispatch
import Foundation
import GRDB
import Testing

@testable import LiveHub

@Suite("Storage")
struct StorageTests {
    @Test("writes that queue while a commit runs share the next commit; a failing write fails alone")
    func groupCommit() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-gc-\(UUID().uuidString)")
        let storage = try Storage(directory: dir)
        try await storage.pool.write { db in try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY)") }
        // The first write holds the writer until 100 more are queued behind it.
        let gate = DispatchSemaphore(value: 0)
        let first = Task { try await storage.committer.commit { db in gate.wait(); try db.execute(sql: "INSERT INTO t (id) VALUES (-1)") } }
        while await storage.committer.queued > 0 { await Task.yield() }  // the first is running
        let others = Task {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<100 {
                    group.addTask {
                        do {
                            // 50 twice: the second violates the primary key.
                            try await storage.committer.commit { db in try db.execute(sql: "INSERT INTO t (id) VALUES (?)", arguments: [i == 99 ? 50 : i]) }
                            return false
                        } catch {
                            return true
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
        }
        while await storage.committer.queued < 100 { await Task.yield() }
        gate.signal()
        try await first.value
        let failures = try await others.value
        #expect(failures == 1)
        let count = try await storage.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") }
        #expect(count == 100)
        // The group failed as a whole and was retried write by write: the other 99 landed.
        let writes = await storage.committer.writes
        #expect(writes == 100)
        let sync = try await storage.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(sync == 2)
        let wal = try await storage.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(wal == "wal")
    }

    @Test("without a failing write, 100 writes queued behind a running commit take one commit")
    func oneCommitForAGroup() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-gc2-\(UUID().uuidString)")
        let storage = try Storage(directory: dir)
        try await storage.pool.write { db in try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY)") }
        let gate = DispatchSemaphore(value: 0)
        let first = Task { try await storage.committer.commit { db in gate.wait(); try db.execute(sql: "INSERT INTO t (id) VALUES (-1)") } }
        while await storage.committer.queued > 0 { await Task.yield() }
        let others = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<100 { group.addTask { try await storage.committer.commit { db in try db.execute(sql: "INSERT INTO t (id) VALUES (?)", arguments: [i]) } } }
                try await group.waitForAll()
            }
        }
        while await storage.committer.queued < 100 { await Task.yield() }
        gate.signal()
        try await first.value
        try await others.value
        #expect(await storage.committer.commits == 2)
        #expect(await storage.committer.writes == 101)
    }
}

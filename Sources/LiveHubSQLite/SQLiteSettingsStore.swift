import Actors
import LiveHub
import Foundation
import GRDB

/// Auto-responder settings per location in SQLite, and the record of every change.
struct SQLiteSettingsStore: SettingsStore {
    let database: SQLiteDatabase

    /// Read a page at a time.
    func all() async throws -> [String: AutoResponderSettings] {
        let pageSize = 500
        var out: [String: AutoResponderSettings] = [:]
        var after = ""
        while true {
            let from = after
            let page: [(String, Data)] = try await database.pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT location_id, settings FROM autoresponder_settings WHERE location_id > ? ORDER BY location_id LIMIT ?", arguments: [from, pageSize]
                ).map { ($0["location_id"], $0["settings"]) }
            }
            for (location, json) in page {
                if let s = try? JSONDecoder().decode(AutoResponderSettings.self, from: json) { out[location] = s }
            }
            guard page.count == pageSize, let last = page.last?.0 else { return out }
            after = last
        }
    }

    func save(_ settings: AutoResponderSettings, location: String, by user: String, at now: Double) async throws {
        let json = try PayloadEncoder.encode(settings)
        try await database.committer.commit { db in
            try db.execute(
                sql: """
                    INSERT INTO autoresponder_settings (location_id, settings, updated_at, updated_by) VALUES (?, ?, ?, ?)
                    ON CONFLICT(location_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                    """,
                arguments: [location, json, now, user])
            try db.execute(sql: "INSERT INTO settings_change (location_id, settings, changed_by, changed_at) VALUES (?, ?, ?, ?)", arguments: [location, json, user, now])
        }
    }

    func changes(location: String) async throws -> Int {
        try await database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM settings_change WHERE location_id = ?", arguments: [location]) ?? 0 }
    }
}

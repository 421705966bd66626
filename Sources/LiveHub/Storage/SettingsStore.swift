import Actors
import Foundation
import GRDB

/// Auto-responder settings per location, and the record of every change.
struct SettingsStore: Sendable {
    let storage: Storage

    /// Every location's settings, read a page at a time.
    func all(pageSize: Int = 500) async throws -> [String: AutoResponderSettings] {
        var out: [String: AutoResponderSettings] = [:]
        var after = ""
        while true {
            let from = after
            let page: [(String, Data)] = try await storage.pool.read { db in
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

    func save(_ settings: AutoResponderSettings, location: String, by user: String) async throws {
        let json = try PayloadEncoder.encode(settings)
        let now = Date().timeIntervalSince1970
        try await storage.committer.commit { db in
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
        try await storage.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM settings_change WHERE location_id = ?", arguments: [location]) ?? 0 }
    }
}

import Actors
import Foundation
import GRDB

/// Auto-responder settings per location, and the record of every change.
struct SettingsStore: Sendable {
    let storage: Storage

    func all() async throws -> [String: AutoResponderSettings] {
        try await storage.pool.read { db in
            var out: [String: AutoResponderSettings] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT location_id, settings FROM autoresponder_settings") {
                if let s = try? JSONDecoder().decode(AutoResponderSettings.self, from: row["settings"] as Data) { out[row["location_id"]] = s }
            }
            return out
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

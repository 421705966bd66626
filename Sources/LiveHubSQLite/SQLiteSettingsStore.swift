import Actors
import LiveHub
import Foundation
import GRDB

/// Auto-responder settings per location in SQLite, and the record of every change.
struct SQLiteSettingsStore: SettingsStore {
    let database: SQLiteDatabase

    /// Read a page at a time.
    func all() async throws -> [String: AutoResponderSettings] {
        let rows: [(String, Data)] = try await database.readPages(
            "SELECT location_id, settings FROM autoresponder_settings WHERE location_id > ? ORDER BY location_id LIMIT ?", key: \.0,
            row: { ($0["location_id"], $0["settings"]) })
        var out: [String: AutoResponderSettings] = [:]
        for (location, json) in rows {
            // A row this version cannot read keeps the location on the defaults.
            if let s = try? JSONDecoder().decode(AutoResponderSettings.self, from: json) { out[location] = s }
        }
        return out
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

}

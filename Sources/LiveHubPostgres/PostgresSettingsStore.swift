import Actors
import Foundation
import LiveHub
import NIOCore
import PostgresNIO

/// Auto-responder settings per location in PostgreSQL, and the record of every change.
struct PostgresSettingsStore: SettingsStore {
    let database: PostgresDatabase

    /// Streamed: the rows arrive as they are read.
    func all() async throws -> [String: AutoResponderSettings] {
        let logger = database.logger
        return try await database.withConnection { c in
            var out: [String: AutoResponderSettings] = [:]
            for try await (location, json) in try await c.query("SELECT location_id, settings FROM autoresponder_settings", logger: logger).decode((String, Data).self) {
                // A row this version cannot read keeps the location on the defaults.
                if let s = try? JSONDecoder().decode(AutoResponderSettings.self, from: json) { out[location] = s }
            }
            return out
        }
    }

    func save(_ settings: AutoResponderSettings, location: String, by user: String, at now: Double) async throws {
        let json = ByteBuffer(bytes: try PayloadEncoder.encode(settings))
        let logger = database.logger
        try await database.write { c in
            try await c.run(
                """
                INSERT INTO autoresponder_settings (location_id, settings, updated_at, updated_by) VALUES (\(location), \(json), \(now), \(user))
                ON CONFLICT (location_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """, logger: logger
            )
            try await c.run(
                "INSERT INTO settings_change (location_id, settings, changed_by, changed_at) VALUES (\(location), \(json), \(user), \(now))", logger: logger
            )
        }
    }
}

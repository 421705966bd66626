import Actors

/// Auto-responder settings per location, and the record of every change.
package protocol SettingsStore: Sendable {
    /// Every location's settings.
    func all() async throws -> [String: AutoResponderSettings]
    /// Stores `settings` for `location` with an audit record of who changed them.
    func save(_ settings: AutoResponderSettings, location: String, by user: String, at time: Double) async throws
}

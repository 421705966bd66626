import Actors
import Foundation
import Hummingbird

/// `GET`, `PUT` and `PATCH /v1/locations/{id}/autoresponder` (behind `AuthenticationMiddleware`):
/// read (supervisors, admins), replace or change some fields of (admins) a location's
/// auto-responder settings. A change is validated, stored with an audit record, then published
/// on the bus: every node applies it at once and tells the location's supervisors.
struct AutoResponderRoutes: Sendable {
    let settings: SettingsRegistry
    let store: any SettingsStore
    let bus: any EventBus
    let clock: ServerClock

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/locations/:id/autoresponder") { _, context in
            let location = try context.parameters.require("id")
            let caller = try context.caller()
            guard TopicAccess.mayRead(caller, location: location) else { throw APIError.forbidden() }
            return JSONBody(settings.settings(for: location))
        }
        router.put("/locations/:id/autoresponder") { request, context in
            let (caller, location) = try admin(context)
            let body = try await request.body.collect(upTo: 64 * 1024)
            return try await apply(try Self.decode(Data(buffer: body)), location: location, by: caller.userId)
        }
        router.patch("/locations/:id/autoresponder") { request, context in
            let (caller, location) = try admin(context)
            let body = try await request.body.collect(upTo: 64 * 1024)
            return try await apply(try merge(Data(buffer: body), onto: settings.settings(for: location)), location: location, by: caller.userId)
        }
    }

    /// The settings in force with the fields of `body` changed, by field name, so that only
    /// known fields can change; former field names are read as their new ones.
    private func merge(_ body: Data, onto current: AutoResponderSettings) throws -> AutoResponderSettings {
        guard var changes = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw APIError.badRequest("invalid_json", "the body must be a JSON object of the settings to change")
        }
        for (legacy, name) in AutoResponderSettings.legacyFieldNames { if let v = changes.removeValue(forKey: legacy) { changes[name] = v } }
        guard var merged = (try? JSONSerialization.jsonObject(with: try PayloadEncoder.encode(current))) as? [String: Any] else {
            throw APIError(.internalServerError, "internal")
        }
        if let unknown = changes.keys.sorted().first(where: { merged[$0] == nil }) { throw APIError.badRequest("unknown_field", unknown) }
        // A group (`drafts`) changes field by field too: `{"drafts":{"enabled":true}}` keeps its other fields.
        merged.merge(changes) { current, change in
            guard let group = current as? [String: Any], let fields = change as? [String: Any] else { return change }
            return group.merging(fields) { $1 }
        }
        return try Self.decode(try JSONSerialization.data(withJSONObject: merged))
    }

    /// Settings from JSON, or the 400 that names what is wrong: a missing field, a field of the
    /// wrong type, a mode that is not one of the modes.
    static func decode(_ json: Data) throws(APIError) -> AutoResponderSettings {
        do {
            return try JSONDecoder().decode(AutoResponderSettings.self, from: json)
        } catch let DecodingError.keyNotFound(key, _) {
            throw APIError.badRequest("missing_field", key.stringValue)
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.first?.stringValue == "mode" {
            throw APIError.badRequest("invalid_field", "mode must be one of \(ConversationMode.allCases.map(\.rawValue).joined(separator: " | "))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context), let DecodingError.dataCorrupted(context) {
            throw APIError.badRequest("invalid_field", context.codingPath.first?.stringValue ?? "settings")
        } catch {
            throw APIError.badRequest("invalid_json", "the body is not auto-responder settings")
        }
    }

    /// Validates, stores (with its audit record) and publishes a change.
    private func apply(_ proposed: AutoResponderSettings, location: String, by user: String) async throws -> JSONBody<AutoResponderSettings> {
        do {
            try proposed.validate()
        } catch {
            throw APIError(.unprocessableContent, "invalid_settings", error.description)
        }
        let now = clock.now()
        try await store.save(proposed, location: location, by: user, at: now)
        await bus.publish(.settingsChanged(SettingsChange(location: location, settings: proposed, by: user, at: now)))
        return JSONBody(proposed)
    }

    /// The caller and the path's location, if the caller is an admin of it.
    private func admin(_ context: AppRequestContext) throws -> (AccessToken, String) {
        let location = try context.parameters.require("id")
        let caller = try context.caller()
        guard caller.role == .admin, caller.canSee(location: location) else { throw APIError.forbidden("only admins of the location change its auto-responder") }
        return (caller, location)
    }
}

import Actors
import Foundation
import Hummingbird

/// `GET`, `PUT` and `PATCH /v1/locations/{id}/autoresponder`: read (supervisors, admins), replace
/// or change some fields of (admins) a location's auto-responder settings. A change is validated, stored with an audit
/// record, applied at once, and broadcast on the location topic.
struct AutoResponderRoutes: Sendable {
    let tokens: TokenAuthority
    let settings: SettingsRegistry
    let store: SettingsStore
    let hub: EventHub

    func register(on router: Router<AppContext>) {
        router.get("/v1/locations/:id/autoresponder") { request, context in
            let location = context.parameters.get("id") ?? ""
            guard let token = await tokens.authenticate(request) else { return JSONResponse.error(.unauthorized, "unauthorized") }
            guard token.isSupervisor, token.canSee(location: location) else { return JSONResponse.error(.forbidden, "forbidden") }
            return try JSONResponse.encodable(settings.settings(for: location))
        }
        router.put("/v1/locations/:id/autoresponder") { request, context in
            let (token, location): (AccessToken, String)
            switch await admin(request, context) {
            case .refused(let response): return response
            case .allowed(let t, let l): (token, location) = (t, l)
            }
            let body = try await request.body.collect(upTo: 64 * 1024)
            let proposed: AutoResponderSettings
            do {
                proposed = try JSONDecoder().decode(AutoResponderSettings.self, from: Data(buffer: body))
            } catch let DecodingError.keyNotFound(key, _) {
                return JSONResponse.error(.badRequest, "missing_field", key.stringValue)
            } catch {
                return JSONResponse.error(.badRequest, "invalid_json", "the body is not auto-responder settings")
            }
            return try await apply(proposed, location: location, by: token.userId)
        }
        router.patch("/v1/locations/:id/autoresponder") { request, context in
            let (token, location): (AccessToken, String)
            switch await admin(request, context) {
            case .refused(let response): return response
            case .allowed(let t, let l): (token, location) = (t, l)
            }
            let body = try await request.body.collect(upTo: 64 * 1024)
            guard var changes = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] else {
                return JSONResponse.error(.badRequest, "invalid_json", "the body must be a JSON object of the settings to change")
            }
            for (legacy, name) in AutoResponderSettings.legacyFieldNames { if let v = changes.removeValue(forKey: legacy) { changes[name] = v } }
            // Merge onto the settings in force, by field name, so only known fields can change.
            let current = settings.settings(for: location)
            guard var merged = (try? JSONSerialization.jsonObject(with: try PayloadEncoder.encode(current))) as? [String: Any] else {
                return JSONResponse.error(.internalServerError, "internal")
            }
            if let unknown = changes.keys.sorted().first(where: { merged[$0] == nil }) {
                return JSONResponse.error(.badRequest, "unknown_field", unknown)
            }
            merged.merge(changes) { $1 }
            let proposed: AutoResponderSettings
            do {
                proposed = try JSONDecoder().decode(AutoResponderSettings.self, from: JSONSerialization.data(withJSONObject: merged))
            } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
                return JSONResponse.error(.badRequest, "invalid_field", context.codingPath.first?.stringValue ?? "settings")
            } catch {
                return JSONResponse.error(.badRequest, "invalid_json", "the body is not auto-responder settings")
            }
            return try await apply(proposed, location: location, by: token.userId)
        }
    }

    /// Validates, stores (with its audit record), applies and broadcasts a change.
    private func apply(_ proposed: AutoResponderSettings, location: String, by user: String) async throws -> Response {
        do {
            try proposed.validate()
        } catch {
            return JSONResponse.error(.unprocessableContent, "invalid_settings", String(describing: error))
        }
        try await store.save(proposed, location: location, by: user)
        settings.set(proposed, for: location)
        let topic = "location:" + location
        let data = String(decoding: try PayloadEncoder.encode(proposed), as: UTF8.self)
        let frame = ServerFrame(
            text: #"{"type":"event","topic":"# + JSONValue.string(topic).encoded + #","kind":"autoresponder.settings","by":"# + JSONValue.string(user).encoded
                + #","at":\#(Date().timeIntervalSince1970),"data":"# + data + "}",
            topic: topic, seq: nil)
        hub.broadcast(frame, to: topic)
        return try JSONResponse.encodable(proposed)
    }

    private enum AdminCheck {
        case allowed(AccessToken, location: String)
        case refused(Response)
    }

    /// Lets through only an admin of the path's location.
    private func admin(_ request: Request, _ context: AppContext) async -> AdminCheck {
        let location = context.parameters.get("id") ?? ""
        guard let token = await tokens.authenticate(request) else { return .refused(JSONResponse.error(.unauthorized, "unauthorized")) }
        guard token.role == .admin, token.canSee(location: location) else {
            return .refused(JSONResponse.error(.forbidden, "forbidden", "only admins of the location change its auto-responder"))
        }
        return .allowed(token, location: location)
    }
}

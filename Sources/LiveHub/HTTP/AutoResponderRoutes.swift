import Actors
import Foundation
import Hummingbird

/// `GET` and `PUT /v1/locations/{id}/autoresponder`: read (supervisors, admins) and change
/// (admins) a location's auto-responder settings. A change is validated, stored with an audit
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
            let location = context.parameters.get("id") ?? ""
            guard let token = await tokens.authenticate(request) else { return JSONResponse.error(.unauthorized, "unauthorized") }
            guard token.role == .admin, token.canSee(location: location) else { return JSONResponse.error(.forbidden, "forbidden", "only admins of the location change its auto-responder") }
            let body = try await request.body.collect(upTo: 64 * 1024)
            let proposed: AutoResponderSettings
            do {
                proposed = try JSONDecoder().decode(AutoResponderSettings.self, from: Data(buffer: body))
            } catch let DecodingError.keyNotFound(key, _) {
                return JSONResponse.error(.badRequest, "missing_field", key.stringValue)
            } catch {
                return JSONResponse.error(.badRequest, "invalid_json", "the body is not auto-responder settings")
            }
            do {
                try proposed.validate()
            } catch {
                return JSONResponse.error(.unprocessableContent, "invalid_settings", String(describing: error))
            }
            try await store.save(proposed, location: location, by: token.userId)
            settings.set(proposed, for: location)
            let topic = "location:" + location
            let data = String(decoding: PayloadEncoder.encode(proposed), as: UTF8.self)
            let frame = ServerFrame(
                text: #"{"type":"event","topic":"# + JSONValue.string(topic).encoded + #","kind":"autoresponder.settings","by":"# + JSONValue.string(token.userId).encoded
                    + #","at":\#(Date().timeIntervalSince1970),"data":"# + data + "}",
                topic: topic, seq: nil)
            hub.broadcast(frame, to: topic)
            return try JSONResponse.encodable(proposed)
        }
    }

}

import Actors
import Foundation
import Hummingbird

/// `GET /v1/conversations`, `GET /v1/conversations/{id}`, `GET /v1/conversations/{id}/events`,
/// with the same token and access rules as the WebSocket topics.
struct ConversationRoutes: Sendable {
    let tokens: TokenAuthority
    let store: SQLiteConversationStore
    let directory: ConversationDirectory
    let autoSettings: SettingsRegistry

    func register(on router: Router<AppContext>) {
        router.get("/v1/conversations") { request, _ in try await list(request) }
        router.get("/v1/conversations/:id") { request, context in try await snapshot(request, id: context.parameters.get("id") ?? "") }
        router.get("/v1/conversations/:id/events") { request, context in try await events(request, id: context.parameters.get("id") ?? "") }
    }


    func list(_ request: Request) async throws -> Response {
        guard let token = await tokens.authenticate(request) else { return JSONResponse.error(.unauthorized, "unauthorized") }
        let location = request.uri.queryParameters["location"].map(String.init)
        if let location, !token.canSee(location: location) { return JSONResponse.error(.forbidden, "forbidden", "not allowed on location \(location)") }
        let state = request.uri.queryParameters["state"].map(String.init)
        let limit = min(Int(request.uri.queryParameters["limit"].map(String.init) ?? "") ?? 100, 500)
        var all = try await store.states(locationId: location, limit: 2_000).map { $0.summary(mode: $0.modeOverride ?? autoSettings.settings(for: $0.locationId).mode) }
        all = all.filter { TopicAccess.mayRead(token, conversation: $0) }
        if let state {
            // `active` means not finished: talking or waiting for a reply.
            all = all.filter { state == "active" ? ($0.state == "active" || $0.state == "waiting") : $0.state == state }
        }
        struct Page: Encodable { let conversations: [ConversationSummary] }
        return try JSONResponse.encodable(Page(conversations: Array(all.prefix(limit))))
    }

    func readable(_ request: Request, id: String) async throws -> Result<ConversationSummary, ResponseError> {
        guard let token = await tokens.authenticate(request) else { return .failure(.init(JSONResponse.error(.unauthorized, "unauthorized"))) }
        let live = await directory.liveActor(id)
        let found: ConversationSummary?
        if let live {
            found = await live.currentSummary
        } else {
            found = try await store.state(conversationId: id).map { $0.summary(mode: $0.modeOverride ?? autoSettings.settings(for: $0.locationId).mode) }
        }
        guard let summary = found else { return .failure(.init(JSONResponse.error(.notFound, "not_found"))) }
        guard TopicAccess.mayRead(token, conversation: summary) else { return .failure(.init(JSONResponse.error(.forbidden, "forbidden"))) }
        return .success(summary)
    }

    func snapshot(_ request: Request, id: String) async throws -> Response {
        switch try await readable(request, id: id) {
        case .failure(let e): return e.response
        case .success(let summary): return try JSONResponse.encodable(summary)
        }
    }

    func events(_ request: Request, id: String) async throws -> Response {
        let summary: ConversationSummary
        switch try await readable(request, id: id) {
        case .failure(let e): return e.response
        case .success(let s): summary = s
        }
        let afterParam = request.uri.queryParameters["after"].map(String.init)
        let limitParam = request.uri.queryParameters["limit"].map(String.init)
        guard let after = UInt64(afterParam ?? "0") else { return JSONResponse.error(.badRequest, "invalid_parameter", "after must be a sequence number") }
        guard let limit = Int(limitParam ?? "100"), (1...1_000).contains(limit) else { return JSONResponse.error(.badRequest, "invalid_parameter", "limit must be 1…1000") }
        let page = try await store.events(conversationId: id, after: after, limit: limit)
        // Splice stored payloads as they are, like the WebSocket does.
        var body = #"{"conversationId":"# + JSONValue.string(id).encoded + #","head":\#(summary.head),"events":["#
        for (i, e) in page.enumerated() {
            if i > 0 { body += "," }
            body += #"{"seq":\#(e.seq),"kind":"\#(e.kind.rawValue)","at":\#(e.at),"data":"# + String(decoding: e.data, as: UTF8.self) + "}"
        }
        body += "],\"next\":" + (page.count == limit ? String(page.last?.seq ?? after) : "null") + "}"
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

struct ResponseError: Error {
    let response: Response
    init(_ response: Response) { self.response = response }
}

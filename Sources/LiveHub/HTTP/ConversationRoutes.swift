import Actors
import Foundation
import Hummingbird

/// `GET /v1/conversations`, `GET /v1/conversations/{id}`, `GET /v1/conversations/{id}/events`
/// (behind `AuthenticationMiddleware`), with the same access rules as the WebSocket topics.
struct ConversationRoutes: Sendable {
    let conversations: any ConversationRepository
    let directory: ConversationDirectory
    let autoSettings: SettingsRegistry

    struct Page: ResponseEncodable {
        let conversations: [ConversationSummary]
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/conversations") { request, context in try await list(request, caller: try context.caller()) }
        router.get("/conversations/:id") { _, context in JSONBody(try await readable(try context.parameters.require("id"), caller: try context.caller())) }
        router.get("/conversations/:id/events") { request, context in
            try await events(request, id: try context.parameters.require("id"), caller: try context.caller())
        }
    }

    func list(_ request: Request, caller: AccessToken) async throws -> Page {
        let location = request.uri.queryParameters["location"].map(String.init)
        if let location, !caller.canSee(location: location) { throw APIError.forbidden("not allowed on location \(location)") }
        let state = request.uri.queryParameters["state"].map(String.init)
        guard let limit = Int(request.uri.queryParameters["limit"].map(String.init) ?? "100"), (1...500).contains(limit) else {
            throw APIError.badRequest("invalid_parameter", "limit must be 1…500")
        }
        var all = try await conversations.states(locationId: location, limit: 2_000).map(autoSettings.summary).filter { TopicAccess.mayRead(caller, conversation: $0) }
        if let state {
            // `active` means not finished: talking or waiting for a reply.
            all = all.filter { state == "active" ? ($0.state == "active" || $0.state == "waiting") : $0.state == state }
        }
        return Page(conversations: Array(all.prefix(limit)))
    }

    /// The conversation as the caller may see it: live if in memory, else as stored.
    func readable(_ id: String, caller: AccessToken) async throws -> ConversationSummary {
        let found: ConversationSummary?
        if let live = directory.liveActor(id) {
            found = await live.currentSummary
        } else {
            found = try await conversations.state(conversationId: id).map(autoSettings.summary)
        }
        guard let summary = found else { throw APIError.notFound }
        guard TopicAccess.mayRead(caller, conversation: summary) else { throw APIError.forbidden() }
        return summary
    }

    func events(_ request: Request, id: String, caller: AccessToken) async throws -> EventPage {
        let summary = try await readable(id, caller: caller)
        guard let after = UInt64(request.uri.queryParameters["after"].map(String.init) ?? "0") else {
            throw APIError.badRequest("invalid_parameter", "after must be a sequence number")
        }
        guard let limit = Int(request.uri.queryParameters["limit"].map(String.init) ?? "100"), (1...1_000).contains(limit) else {
            throw APIError.badRequest("invalid_parameter", "limit must be 1…1000")
        }
        let page = try await conversations.events(conversationId: id, after: after, limit: limit)
        return EventPage(conversationId: id, head: summary.head, events: page, next: page.count == limit ? page.last?.seq ?? after : nil)
    }
}

/// A page of a conversation's events, with the stored payloads spliced in as they are (like
/// the WebSocket frames), `next` the `after` of the following page.
struct EventPage: ResponseGenerator {
    let conversationId: String
    let head: UInt64
    let events: [ConversationEvent]
    let next: UInt64?

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var body = #"{"conversationId":"# + JSONValue.string(conversationId).encoded + #","head":\#(head),"events":["#
        for (i, e) in events.enumerated() {
            if i > 0 { body += "," }
            body += #"{"seq":\#(e.seq),"kind":"\#(e.kind.rawValue)","at":\#(e.at),"data":"# + String(decoding: e.data, as: UTF8.self) + "}"
        }
        body += "],\"next\":" + (next.map(String.init) ?? "null") + "}"
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

import Foundation
import Hummingbird

/// How a browser gets and keeps an access token for the console:
/// - `POST /v1/login {"ticket"}` — a one-time login link (`livehub login-link`);
/// - `POST /v1/sso/ghl {"payload"}` — GHL's encrypted user context, inside GHL;
/// - `POST /v1/token/refresh` — with the token, behind `AuthenticationMiddleware`.
///
/// Each answers a `ConsoleSession`: a short-lived token (`LIVEHUB_CONSOLE_TOKEN_SECONDS`) that
/// the page refreshes before it ends.
struct SessionRoutes: Sendable {
    let tokens: TokenAuthority
    let tickets: any LoginTicketLedger
    let console: ConsoleConfiguration
    let slaSeconds: Double
    let clock: ServerClock

    /// What the page keeps for its session.
    struct ConsoleSession: ResponseEncodable {
        let accessToken: String
        let expiresAt: Int
        let user: String
        let role: AccessToken.Role
        let locations: [String]
        /// The location the page opens on: GHL's active location, else the first one given.
        let locationId: String?
        let userName: String?
        let slaSeconds: Double
    }

    struct TicketBody: Decodable { let ticket: String }
    struct PayloadBody: Decodable { let payload: String }

    func register(public router: Router<AppRequestContext>) {
        router.post("/v1/login") { request, _ in try await login(try await Self.body(TicketBody.self, naming: "ticket", request)) }
        router.post("/v1/sso/ghl") { request, _ in try await sso(try await Self.body(PayloadBody.self, naming: "payload", request)) }
    }

    func register(authenticated router: RouterGroup<AppRequestContext>) {
        router.post("/token/refresh") { _, context in try await refresh(try context.caller()) }
    }

    /// A console session's token, renewed within the session's maximum age; other tokens (minted
    /// by `livehub token`, or by another system) are not renewed: a stolen one ends with its expiry.
    func refresh(_ caller: AccessToken) async throws -> ConsoleSession {
        guard let began = caller.authTime else {
            throw APIError(.unauthorized, "not_refreshable", "only a console session's token is refreshed: sign in again")
        }
        guard clock.now() - began < console.sessionMaxAge else {
            throw APIError(.unauthorized, "session_expired", "the session is older than its maximum age: sign in again")
        }
        return try await session(user: caller.userId, role: caller.role, locations: caller.locations, userName: nil, began: began)
    }

    func login(_ body: TicketBody) async throws -> ConsoleSession {
        guard let ticket = await tokens.verifyTicket(body.ticket) else { throw APIError(.unauthorized, "invalid_ticket", "this login link is not valid") }
        let expires = ticket.exp.value.timeIntervalSince1970
        guard expires > clock.now() else { throw APIError(.unauthorized, "ticket_expired", "this login link has expired: ask for a new one") }
        guard expires <= clock.now() + ConsoleConfiguration.maxTicketLifetime else {
            throw APIError(.unauthorized, "invalid_ticket", "login links are valid for an hour at most")
        }
        guard try await tickets.redeem(ticket.jti.value, expiresAt: expires, now: clock.now()) else {
            throw APIError(.conflict, "ticket_used", "this login link was already used: ask for a new one")
        }
        return try await session(user: ticket.sub.value, role: ticket.role, locations: ticket.locations, userName: nil)
    }

    func sso(_ body: PayloadBody) async throws -> ConsoleSession {
        guard let key = console.ssoKey else {
            throw APIError(.serviceUnavailable, "sso_not_configured", "sign-in from GHL is not set up on this server (LIVEHUB_GHL_SSO_KEY)")
        }
        let user: GHLUserContext
        do {
            user = try GHLUserContext.decrypt(body.payload, secret: key)
        } catch .malformed {
            throw APIError.badRequest("invalid_payload", "GHL's user context is not an encrypted payload")
        } catch .rejected {
            throw APIError(.unauthorized, "sso_rejected", "GHL's user context could not be decrypted with this app's Shared Secret")
        }
        guard let location = user.activeLocation, !location.isEmpty, user.type != "agency" else {
            throw APIError(.forbidden, "no_location", "open LiveHub from a sub-account: GHL sent an agency context without a location")
        }
        guard let role = console.ssoRoles[user.role ?? ""] else {
            throw APIError(.forbidden, "role_not_allowed", "GHL role \"\(user.role ?? "none")\" has no LiveHub role (LIVEHUB_GHL_SSO_ROLES)")
        }
        return try await session(user: user.userId, role: role, locations: [location], userName: user.userName)
    }

    func session(user: String, role: AccessToken.Role, locations: [String], userName: String?, began: Double? = nil) async throws -> ConsoleSession {
        let token = AccessToken.make(user: user, role: role, locations: locations, lifetime: console.sessionLifetime, authTime: began ?? clock.now())
        return ConsoleSession(
            accessToken: try await tokens.sign(token), expiresAt: Int(token.exp.value.timeIntervalSince1970), user: user, role: role,
            locations: locations, locationId: locations.first { $0 != "*" }, userName: userName, slaSeconds: slaSeconds)
    }

    /// The JSON body, or 400 `invalid_body` naming the field it must have.
    static func body<T: Decodable>(_ type: T.Type, naming field: String, _ request: Request) async throws -> T {
        let raw = try await request.body.collect(upTo: 64 * 1024)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: raw))
        } catch {
            throw APIError.badRequest("invalid_body", "the body must be JSON with \"\(field)\"")
        }
    }
}

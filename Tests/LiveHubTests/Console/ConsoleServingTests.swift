import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import LiveHub

@Suite("Console: static files, sign-in, sessions")
struct ConsoleServingTests {
    static let secret = "shared-secret-1"
    /// Made with `openssl enc -aes-256-cbc -md md5 -salt -pass pass:shared-secret-1 -base64 -A`: the construction GHL documents.
    static let opensslPayload =
        "U2FsdGVkX19efplNYtVaGHzT3zLsaL2t/u2NrF8JNpP9o4iWPy1LckPgZ/6qCm0sog8ruSEVI47EkiOdHjhfzaMesulWAfrkD30WEEiSCq4oFFHme/AX6jmM39cXh56ZEtGdaCdDlN1AaPbss8DfIk1SBFWsu7lPJagv40V2ZF/Urcf1zS0ZdC8uLZgy+UIyo1fXJt9gcLeWGz3jqGh9ZcyvnB4b5W1qPPEn5z3IbkWfKXPUsN8pKwV65Y9OdsaC"

    @Test("GHL's payload decrypts with the Shared Secret (OpenSSL-made and our own), and nothing else does")
    func decrypt() throws {
        let user = try GHLUserContext.decrypt(Self.opensslPayload, secret: Self.secret)
        #expect(user == GHLUserContext(userId: "u-1", companyId: "co-1", role: "admin", type: "location", activeLocation: "loc-1", userName: "Ann Admin", email: "ann@example.com"))
        let ours = try GHLUserContext.encrypt(json: Data(#"{"userId":"u-2","role":"user","activeLocation":"loc-2"}"#.utf8), secret: Self.secret)
        #expect(try GHLUserContext.decrypt(ours, secret: Self.secret).activeLocation == "loc-2")
        #expect(throws: GHLUserContext.Failure.rejected) { try GHLUserContext.decrypt(Self.opensslPayload, secret: "wrong-secret") }
        var tampered = Array(try #require(Data(base64Encoded: Self.opensslPayload)))
        tampered[tampered.count - 20] ^= 0x01
        #expect(throws: GHLUserContext.Failure.rejected) { try GHLUserContext.decrypt(Data(tampered).base64EncodedString(), secret: Self.secret) }
        #expect(throws: GHLUserContext.Failure.malformed) { try GHLUserContext.decrypt("not base64 at all!", secret: Self.secret) }
        #expect(throws: GHLUserContext.Failure.malformed) { try GHLUserContext.decrypt(Data("Salted__12345678abc".utf8).base64EncodedString(), secret: Self.secret) }
        #expect(throws: GHLUserContext.Failure.malformed) { try GHLUserContext.decrypt(Data(repeating: 7, count: 48).base64EncodedString(), secret: Self.secret) }
        let notJSON = try GHLUserContext.encrypt(json: Data("hello".utf8), secret: Self.secret)
        #expect(throws: GHLUserContext.Failure.rejected) { try GHLUserContext.decrypt(notJSON, secret: Self.secret) }
    }

    @Test("the shipped console: index and modules with a strict CSP, ETags and 304, nothing outside it")
    func serving() async throws {
        let bundled = ConsoleAssets.bundled()
        #expect(bundled["index.html"] != nil && bundled["app.js"] != nil && bundled["connection.js"] != nil)
        try await Harness.run { h in
            let index = try await h.client.execute(uri: "/", method: .get)
            #expect(index.status == .ok)
            #expect(index.headers[.contentType] == "text/html; charset=utf-8")
            let csp = try #require(index.headers[.contentSecurityPolicy])
            #expect(csp.contains("script-src 'self'") && csp.contains("frame-ancestors https://app.gohighlevel.com") && !csp.contains("unsafe-inline"))
            #expect(index.headers[.xContentTypeOptions] == "nosniff")
            let html = String(buffer: index.body)
            #expect(html.contains(#"type="module""#) && !html.contains("<script>"))
            let etag = try #require(index.headers[.eTag])
            let again = try await h.client.execute(uri: "/", method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified && again.body.readableBytes == 0)
            let module = try await h.client.execute(uri: "/console/app.js", method: .get)
            #expect(module.status == .ok && module.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(module.headers[.eTag] != etag)
            for path in ["/console/nope.js", "/console/../Package.swift", "/console/.hidden", "/console/"] {
                #expect(try await h.client.execute(uri: path, method: .get).status == .notFound, "\(path)")
            }
        }
    }

    @Test("frame-ancestors follows LIVEHUB_FRAME_ANCESTORS")
    func frameAncestors() async throws {
        var config = ServerConfiguration()
        try config.apply(environment: ["LIVEHUB_FRAME_ANCESTORS": "https://crm.example.com http://127.0.0.1:9999"])
        #expect(config.console.frameAncestors == ["https://crm.example.com", "http://127.0.0.1:9999"])
        #expect(throws: ConfigurationError.self) { try config.apply(environment: ["LIVEHUB_FRAME_ANCESTORS": "https://x; script-src *"]) }
        #expect(throws: ConfigurationError.self) { try config.apply(environment: ["LIVEHUB_GHL_SSO_ROLES": "admin=boss"]) }
        try config.apply(environment: ["LIVEHUB_GHL_SSO_ROLES": "admin=admin,user=agent"])
        #expect(config.console.ssoRoles == ["admin": .admin, "user": .agent])
    }

    @Test("a login link signs in once: then ticket_used; expired, forged and access tokens are refused")
    func loginLink() async throws {
        try await Harness.run { h in
            let ticket = try await h.server.tokens.sign(LoginTicket.make(user: "agent-1", role: .agent, locations: ["loc-1"], lifetime: 600))
            let first = try await h.postJSON("/v1/login", ["ticket": ticket])
            #expect(first.status == .ok)
            #expect(first.json["user"] as? String == "agent-1" && first.json["role"] as? String == "agent" && first.json["locationId"] as? String == "loc-1")
            let token = try #require(first.json["accessToken"] as? String)
            let claims = try #require(await h.server.tokens.verify(token))
            #expect(claims.exp.value.timeIntervalSinceNow < 901 && claims.exp.value.timeIntervalSinceNow > 800)
            let second = try await h.postJSON("/v1/login", ["ticket": ticket])
            #expect(second.status == .conflict && second.json["error"] as? String == "ticket_used")
            let expired = try await h.server.tokens.sign(LoginTicket.make(user: "agent-1", role: .agent, locations: ["loc-1"], lifetime: -5))
            #expect(try await h.postJSON("/v1/login", ["ticket": expired]).json["error"] as? String == "ticket_expired")
            let tooLong = try await h.server.tokens.sign(LoginTicket.make(user: "agent-1", role: .agent, locations: ["loc-1"], lifetime: 2 * 3600))
            #expect(try await h.postJSON("/v1/login", ["ticket": tooLong]).json["error"] as? String == "invalid_ticket")
            // An access token is not a login link, and a login link is not an access token.
            let access = try await h.token("agent-1", .agent)
            #expect(try await h.postJSON("/v1/login", ["ticket": access]).json["error"] as? String == "invalid_ticket")
            #expect(await h.server.tokens.verify(ticket) == nil)
            #expect(try await h.postJSON("/v1/login", ["ticket": "x.y.z"]).status == .unauthorized)
            #expect(try await h.postRaw("/v1/login", "not json").json["error"] as? String == "invalid_body")
        }
    }

    @Test("a used link stays used across a restart")
    func ticketSurvivesRestart() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-test-\(UUID().uuidString)")
        let ticket = try await Harness.run(dataDirectory: dir) { h in
            let t = try await h.server.tokens.sign(LoginTicket.make(user: "sup-1", role: .supervisor, locations: ["loc-1"], lifetime: 600))
            #expect(try await h.postJSON("/v1/login", ["ticket": t]).status == .ok)
            return t
        }
        let again = try await Harness.run(dataDirectory: dir) { h in try await h.postJSON("/v1/login", ["ticket": ticket]).json["error"] as? String }
        #expect(again == "ticket_used")
    }

    @Test("GHL SSO: roles mapped, the active location kept; wrong secret, tampered, agency context, garbage and no key refused")
    func sso() async throws {
        try await Harness.run(configure: { $0.console.ssoKey = Self.secret }) { h in
            let admin = try await h.postJSON("/v1/sso/ghl", ["payload": Self.opensslPayload])
            #expect(admin.status == .ok)
            #expect(admin.json["role"] as? String == "supervisor" && admin.json["locationId"] as? String == "loc-1" && admin.json["userName"] as? String == "Ann Admin")
            let user = try GHLUserContext.encrypt(json: Data(#"{"userId":"u-7","role":"user","type":"location","activeLocation":"loc-3"}"#.utf8), secret: Self.secret)
            let agent = try await h.postJSON("/v1/sso/ghl", ["payload": user])
            #expect(agent.json["role"] as? String == "agent" && agent.json["locations"] as? [String] == ["loc-3"])
            let token = try #require(agent.json["accessToken"] as? String)
            let wrong = try GHLUserContext.encrypt(json: Data(#"{"userId":"u-7","role":"user","activeLocation":"loc-3"}"#.utf8), secret: "another-app")
            #expect(try await h.postJSON("/v1/sso/ghl", ["payload": wrong]).json["error"] as? String == "sso_rejected")
            var bytes = Array(try #require(Data(base64Encoded: Self.opensslPayload)))
            bytes[40] ^= 0x80
            let tampered = try await h.postJSON("/v1/sso/ghl", ["payload": Data(bytes).base64EncodedString()])
            #expect(tampered.status == .unauthorized && tampered.json["error"] as? String == "sso_rejected")
            let agency = try GHLUserContext.encrypt(json: Data(#"{"userId":"u-1","role":"admin","type":"agency","companyId":"co-1"}"#.utf8), secret: Self.secret)
            let refused = try await h.postJSON("/v1/sso/ghl", ["payload": agency])
            #expect(refused.status == .forbidden && refused.json["error"] as? String == "no_location")
            #expect(try await h.postJSON("/v1/sso/ghl", ["payload": "%%%"]).json["error"] as? String == "invalid_payload")
            #expect(try await h.postRaw("/v1/sso/ghl", #"{"nope":1}"#).status == .badRequest)
            // The session refreshes with its token, and an expired one is refused.
            let refreshed = try await h.client.execute(uri: "/v1/token/refresh", method: .post, headers: [.authorization: "Bearer \(token)"])
            #expect(refreshed.status == .ok)
            let expired = try await h.token("u-7", .agent, ["loc-3"], lifetime: -10)
            #expect(try await h.client.execute(uri: "/v1/token/refresh", method: .post, headers: [.authorization: "Bearer \(expired)"]).status == .unauthorized)
            // Only a console session's token is renewed, and only within the session's maximum age.
            func refresh(_ token: String) async throws -> String? {
                let r = try await h.client.execute(uri: "/v1/token/refresh", method: .post, headers: [.authorization: "Bearer \(token)"])
                return ((try? JSONSerialization.jsonObject(with: Data(buffer: r.body))) as? [String: Any])?["error"] as? String
            }
            let renewed = try #require(((try? JSONSerialization.jsonObject(with: Data(buffer: refreshed.body))) as? [String: Any])?["accessToken"] as? String)
            #expect(await h.server.tokens.verify(renewed)?.authTime == (await h.server.tokens.verify(token)?.authTime))
            #expect(try await refresh(try await h.token("u-7", .agent, ["loc-3"])) == "not_refreshable")
            let old = try await h.server.tokens.sign(AccessToken.make(user: "u-7", role: .agent, locations: ["loc-3"], lifetime: 600, authTime: Date().timeIntervalSince1970 - 13 * 3600))
            #expect(try await refresh(old) == "session_expired")
        }
        try await Harness.run { h in
            let off = try await h.postJSON("/v1/sso/ghl", ["payload": Self.opensslPayload])
            #expect(off.status == .serviceUnavailable && off.json["error"] as? String == "sso_not_configured")
        }
    }
}

extension Harness {
    func postJSON(_ uri: String, _ body: [String: String]) async throws -> (status: HTTPResponse.Status, json: [String: Any]) {
        try await postRaw(uri, String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
    }

    func postRaw(_ uri: String, _ body: String) async throws -> (status: HTTPResponse.Status, json: [String: Any]) {
        let response = try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:])
    }
}

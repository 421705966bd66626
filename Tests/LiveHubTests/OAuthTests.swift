import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import LiveHub
@testable import LiveHubSQLite

/// Server settings for a fake GHL whose locations authorize LiveHub through OAuth (no static tokens).
func oauthConfiguration(_ base: String) -> @Sendable (inout ServerConfiguration) -> Void {
    { c in
        c.ghlAPIBaseURL = base
        c.ghlClientId = FakeGHLOAuth.clientId
        c.ghlClientSecret = FakeGHLOAuth.clientSecret
        c.ghlRequestTimeout = .seconds(2)
    }
}

extension Harness {
    func authorize(_ code: String) async throws -> (status: HTTPResponse.Status, json: [String: Any]) {
        let response = try await client.execute(uri: "/oauth/callback?code=\(code)", method: .get)
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:])
    }

    /// Authorizes through the callback and expects success, showing GHL's answer otherwise.
    func authorizeOK(_ code: String) async throws {
        let r = try await authorize(code)
        #expect(r.status == .ok, "callback answered \(r.status): \(r.json)")
    }

    func storedGrant(_ location: String = "loc-1") async throws -> OAuthGrant? {
        try await server.storage.credentials.grant(location: location)
    }

    /// Sends a reply as agent-1 on conv-1 and waits until it is settled; returns its final event.
    func sendReply(_ text: String) async throws -> [String: Any] {
        let agent = try await subscribed("agent-1", .agent, to: "conversation:conv-1")
        try await agent.send(#"{"op":"reply.send","conversationId":"conv-1","text":"\#(text)"}"#)
        try await agent.waitUntil { p in self.outboundEvents(p).contains { ["sent", "failed"].contains($0["delivery"] as? String) && $0["text"] as? String == text } }
        let last = try #require(outboundEvents(agent).last { $0["text"] as? String == text })
        await agent.close()
        return last
    }
}

@Suite("GHL OAuth: code exchange, refresh, rotation")
struct OAuthTests {
    @Test("the install redirect's code is exchanged for a stored grant; replies go out with its access token; bad codes get clear errors")
    func authorizationCode() async throws {
        let oauth = FakeGHLOAuth()
        let fake = FakeGHL(oauth: oauth)
        try await fake.run { base in
            try await Harness.run(configure: oauthConfiguration(base)) { h in
                let code = oauth.issueCode(location: "loc-1")
                let ok = try await h.authorize(code)
                #expect(ok.status == .ok && ok.json["locationId"] as? String == "loc-1")
                let grant = try #require(try await h.storedGrant())
                #expect(grant.refreshToken == "fake-rt-2" && grant.accessToken == "fake-at-2" && grant.companyId == "company-1" && !grant.revoked)
                #expect(grant.expiresAt.timeIntervalSinceNow > 86_000)

                let reused = try await h.authorize(code)
                #expect(reused.status == .badRequest && reused.json["error"] as? String == "invalid_code")
                let missing = try await h.authorize("")
                #expect(missing.status == .badRequest && missing.json["error"] as? String == "missing_code")
                let denied = try await h.client.execute(uri: "/oauth/callback?error=access_denied", method: .get)
                #expect(denied.status == .badRequest)
                #expect(String(buffer: denied.body).contains("authorization_denied"))

                try await h.seedConversation()
                #expect(try await h.sendReply("Saturday works")["delivery"] as? String == "sent")
            }
        }
        let exchange = try #require(oauth.requests.first)
        #expect(exchange["grant_type"] == "authorization_code" && exchange["code"] == "fake-code-1" && exchange["user_type"] == "Location")
        #expect(fake.received.map(\.authorization) == ["Bearer fake-at-2"])
    }

    @Test("without an OAuth client the callback answers 404 oauth_not_configured")
    func notConfigured() async throws {
        try await Harness.run { h in
            let r = try await h.authorize("anything")
            #expect(r.status == .notFound && r.json["error"] as? String == "oauth_not_configured")
        }
    }

    @Test("token refresh persists the new refresh token: a 401 refreshes once, the rotated token is stored, and survives a restart")
    func refreshPersists() async throws {
        let oauth = FakeGHLOAuth()
        let fake = FakeGHL(oauth: oauth)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-oauth-\(UUID().uuidString)")
        try await fake.run { base in
            try await Harness.run(dataDirectory: dir, configure: oauthConfiguration(base)) { h in
                try await h.authorizeOK(oauth.issueCode(location: "loc-1"))
                try await h.seedConversation()
                oauth.invalidateAccessTokens()  // GHL now answers 401 to fake-at-2
                #expect(try await h.sendReply("first")["delivery"] as? String == "sent")
                let grant = try #require(try await h.storedGrant())
                #expect(grant.refreshToken == "fake-rt-3" && grant.accessToken == "fake-at-3")
            }
            // A new process knows only what was stored: the rotated refresh token must be there.
            oauth.invalidateAccessTokens()
            try await Harness.run(dataDirectory: dir, configure: oauthConfiguration(base)) { h in
                let second = try await h.sendReply("second")
                #expect(second["delivery"] as? String == "sent")
                #expect(try await h.storedGrant()?.refreshToken == "fake-rt-4")
            }
        }
        #expect(oauth.refreshRequests.map { $0["refresh_token"] } == ["fake-rt-2", "fake-rt-3"])
        // 401 with the old token, then the refreshed one — before and after the restart.
        #expect(fake.received.map(\.authorization) == ["Bearer fake-at-2", "Bearer fake-at-3", "Bearer fake-at-3", "Bearer fake-at-4"])
    }

    @Test("expiring tokens are refreshed before use, once for many concurrent senders (refresh tokens are single-use); no token reaches a log")
    func singleFlight() async throws {
        // Tokens that live 60 s are inside the 5-minute refresh margin: every use refreshes first.
        let oauth = FakeGHLOAuth(expiresIn: 60, delay: .milliseconds(100))
        let capture = LogCapture()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-oauth-\(UUID().uuidString)")
        let storage = try SQLiteStorage(directory: dir).ports.credentials
        try await FakeGHL(oauth: oauth).run { base in
            let credentials = OAuthCredentials(
                endpoint: OAuthTokenEndpoint(
                    baseURL: base, clientId: FakeGHLOAuth.clientId, clientSecret: FakeGHLOAuth.clientSecret, redirectURI: nil, http: HTTPClient.shared),
                store: storage, logger: capture.logger())
            #expect(try await credentials.authorize(code: oauth.issueCode(location: "loc-1")) == "loc-1")
            let tokens = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<20 { group.addTask { try await credentials.token(for: "loc-1") } }
                return try await group.reduce(into: Set<String?>()) { $0.insert($1) }
            }
            #expect(tokens == ["fake-at-3"])
            #expect(oauth.refreshRequests.count == 1)
            #expect(try await storage.grant(location: "loc-1")?.refreshToken == "fake-rt-3")
            // A 401 on a token another sender already replaced uses the replacement, no refresh.
            #expect(try await credentials.refresh(for: "loc-1", rejected: "fake-at-2") == "fake-at-3")
            #expect(oauth.refreshRequests.count == 1)
        }
        let lines = capture.lines.withLock { $0 }
        #expect(!lines.isEmpty)
        #expect(!lines.contains { $0.contains("fake-at-") || $0.contains("fake-rt-") || $0.contains(FakeGHLOAuth.clientSecret) })
    }

    @Test("a refused refresh token fails the send with a clear reason and stops refreshing until the location authorizes again")
    func revoked() async throws {
        let oauth = FakeGHLOAuth()
        let fake = FakeGHL(oauth: oauth)
        try await fake.run { base in
            try await Harness.run(configure: oauthConfiguration(base)) { h in
                try await h.authorizeOK(oauth.issueCode(location: "loc-1"))
                try await h.seedConversation()
                oauth.invalidateAccessTokens()
                oauth.invalidateRefreshTokens()
                let failed = try await h.sendReply("first")
                #expect(failed["delivery"] as? String == "failed")
                #expect((failed["error"] as? String)?.contains("authorize") == true)
                #expect(try await h.storedGrant()?.revoked == true)
                #expect(try await h.sendReply("second")["delivery"] as? String == "failed")
                #expect(oauth.refreshRequests.count == 1)  // the dead token is not tried again

                try await h.authorizeOK(oauth.issueCode(location: "loc-1"))
                #expect(try await h.sendReply("third")["delivery"] as? String == "sent")
            }
        }
    }

    @Test("UNINSTALL deletes the location's grant")
    func uninstall() async throws {
        let oauth = FakeGHLOAuth()
        try await FakeGHL(oauth: oauth).run { base in
            try await Harness.run(configure: oauthConfiguration(base)) { h in
                try await h.authorizeOK(oauth.issueCode(location: "loc-2"))
                #expect(try await h.storedGrant("loc-2") != nil)
                #expect(try await h.post(try GHLFixture.body("uninstall")).status == .ok)
                #expect(try await h.storedGrant("loc-2") == nil)
                #expect(try await h.server.oauth?.token(for: "loc-2") == nil)
            }
        }
    }
}

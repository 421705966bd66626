import AsyncHTTPClient
import Foundation
import LiveHubPostgres
import Logging
import Testing

@testable import LiveHub

/// GHL's refresh tokens are single-use: two nodes refreshing one location's token at once would
/// lock it out. Two nodes here are two credential sources, each on its own connection pool to
/// one PostgreSQL, as two `livehub serve` processes are.
@Suite("Cluster OAuth")
struct ClusterOAuthTests {
    @Test("an OAuth refresh raced from two nodes: one refresh at GHL, both nodes use its token")
    func refreshRace() async throws {
        // A slow token endpoint widens the race.
        let oauth = FakeGHLOAuth(delay: .milliseconds(300))
        let url = try await PostgresServer.shared().makeDatabase()
        let logger = {
            var l = Logger(label: "oauth-race")
            l.logLevel = .critical
            return l
        }()
        let a = try await PostgresStorage.connect(url: url, fence: nil, maxCommitBacklog: 100, logger: logger)
        let b = try await PostgresStorage.connect(url: url, fence: nil, maxCommitBacklog: 100, logger: logger)
        try await FakeGHL(oauth: oauth).run { base in
            func node(_ storage: PostgresStorage) -> OAuthCredentials {
                OAuthCredentials(
                    endpoint: OAuthTokenEndpoint(
                        baseURL: base, clientId: FakeGHLOAuth.clientId, clientSecret: FakeGHLOAuth.clientSecret, redirectURI: nil, http: HTTPClient.shared),
                    store: storage.ports.credentials, logger: logger)
            }
            let first = node(a)
            let second = node(b)
            #expect(try await first.authorize(code: oauth.issueCode(location: "loc-1")) == "loc-1")
            // Both nodes send with the location's token; GHL then refuses it on both (401) at once.
            let old = try #require(try await first.token(for: "loc-1"))
            #expect(try await second.token(for: "loc-1") == old)
            oauth.invalidateAccessTokens()
            async let x = first.refresh(for: "loc-1", rejected: old)
            async let y = second.refresh(for: "loc-1", rejected: old)
            let (tx, ty) = try await (x, y)
            #expect(tx == ty, "both nodes use the one refreshed token")
            #expect(tx != old)
            #expect(oauth.refreshRequests.count == 1, "refreshes at GHL: \(oauth.refreshRequests.count)")
            #expect(try await b.ports.credentials.grant(location: "loc-1")?.accessToken == tx)
        }
        await a.shutdown()
        await b.shutdown()
    }
}

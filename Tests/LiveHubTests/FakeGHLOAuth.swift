import Foundation
import Hummingbird
import NIOCore
import Synchronization
@testable import LiveHub

/// GHL's OAuth side for `FakeGHL`: `POST /oauth/token` (form-encoded, documented fields and
/// answer). Codes and refresh tokens are single-use, as GHL's are: reusing one answers
/// `invalid_grant`, so a test that refreshed twice with the same token fails.
final class FakeGHLOAuth: Sendable {
    static let clientId = "client-1"
    static let clientSecret = "client-secret-1"

    private struct State {
        var codes: [String: String] = [:]  // code → location
        var refreshTokens: [String: String] = [:]  // live refresh token → location
        var accessTokens: Set<String> = []
        var issued = 0
        var requests: [[String: String]] = []
    }
    private let state = Mutex(State())
    /// Seconds an access token lives (GHL: 86,399).
    let expiresIn: Int
    /// Delay before the token endpoint answers, to widen races.
    let delay: Duration

    init(expiresIn: Int = 86_399, delay: Duration = .zero) {
        self.expiresIn = expiresIn
        self.delay = delay
    }

    /// Form bodies the token endpoint received, in order.
    var requests: [[String: String]] { state.withLock { $0.requests } }
    var refreshRequests: [[String: String]] { requests.filter { $0["grant_type"] == "refresh_token" } }

    /// A one-time code, as GHL appends it to the app's redirect URL after an install.
    func issueCode(location: String) -> String {
        state.withLock { s in
            s.issued += 1
            let code = "fake-code-\(s.issued)"
            s.codes[code] = location
            return code
        }
    }

    /// Every access token stops working (expired or revoked): the next send gets a 401.
    func invalidateAccessTokens() { state.withLock { $0.accessTokens.removeAll() } }
    /// Every refresh token stops working: the location must authorize again.
    func invalidateRefreshTokens() { state.withLock { $0.refreshTokens.removeAll() } }
    func accepts(_ accessToken: String) -> Bool { state.withLock { $0.accessTokens.contains(accessToken) } }

    func register(on router: Router<BasicRequestContext>) {
        router.post("/oauth/token") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 16)
            let form = Self.parseForm(String(buffer: body))
            self.state.withLock { $0.requests.append(form) }
            if self.delay > .zero { try await Task.sleep(for: self.delay) }
            guard request.headers[.contentType] == "application/x-www-form-urlencoded",
                form["client_id"] == Self.clientId, form["client_secret"] == Self.clientSecret, form["user_type"] == "Location"
            else { return FakeGHL.json(.unauthorized, #"{"error":"invalid_client","error_description":"Invalid client credentials"}"#) }
            let location: String? = self.state.withLock { s in
                switch form["grant_type"] {
                case "authorization_code": return form["code"].flatMap { s.codes.removeValue(forKey: $0) }
                case "refresh_token": return form["refresh_token"].flatMap { s.refreshTokens.removeValue(forKey: $0) }
                default: return nil
                }
            }
            guard let location else {
                return FakeGHL.json(.badRequest, #"{"error":"invalid_grant","error_description":"Invalid grant: refresh token is invalid"}"#)
            }
            let (access, refresh) = self.state.withLock { s in
                s.issued += 1
                let pair = ("fake-at-\(s.issued)", "fake-rt-\(s.issued)")
                s.accessTokens.insert(pair.0)
                s.refreshTokens[pair.1] = location
                return pair
            }
            return FakeGHL.json(
                .ok,
                #"{"access_token":"\#(access)","token_type":"Bearer","expires_in":\#(self.expiresIn),"refresh_token":"\#(refresh)","scope":"conversations/message.write conversations/message.readonly","userType":"Location","locationId":"\#(location)","companyId":"company-1"}"#
            )
        }
    }

    static func parseForm(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if parts.count == 2 { out[parts[0]] = parts[1] }
        }
        return out
    }
}

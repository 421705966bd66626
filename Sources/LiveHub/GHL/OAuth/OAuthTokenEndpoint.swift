import AsyncHTTPClient
import Foundation
import NIOCore

/// GHL's `POST /oauth/token` (form-encoded): the authorization-code exchange and the refresh.
struct OAuthTokenEndpoint: Sendable {
    let baseURL: String
    let clientId: String
    let clientSecret: String
    /// Sent with the code exchange when configured (it must equal the app's redirect URL).
    let redirectURI: String?
    let http: HTTPClient
    var timeout: Duration = .seconds(10)

    func exchange(code: String) async throws(OAuthError) -> OAuthTokenResponse {
        var form = [("grant_type", "authorization_code"), ("code", code), ("user_type", "Location")]
        if let redirectURI { form.append(("redirect_uri", redirectURI)) }
        return try await call(form)
    }

    func refresh(_ refreshToken: String) async throws(OAuthError) -> OAuthTokenResponse {
        try await call([("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("user_type", "Location")])
    }

    private func call(_ fields: [(String, String)]) async throws(OAuthError) -> OAuthTokenResponse {
        var request = HTTPClientRequest(url: baseURL + "/oauth/token")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: Self.formEncode([("client_id", clientId), ("client_secret", clientSecret)] + fields)))
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await http.execute(request, timeout: TimeAmount(timeout))
            body = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw .unavailable(String(describing: type(of: error)))
        }
        let data = Data(buffer: body)
        let status = Int(response.status.code)
        guard status == 200 else {
            let error = try? JSONDecoder().decode(OAuthErrorBody.self, from: data)
            let message = error?.error_description ?? error?.message ?? error?.error ?? "no message"
            // invalid_grant is OAuth's word for a used, expired or revoked code or refresh token.
            if error?.error == "invalid_grant" || (status == 400 && message.localizedCaseInsensitiveContains("invalid grant")) {
                throw .invalidGrant(message)
            }
            throw .refused(status: status, message: message)
        }
        guard let grant = try? JSONDecoder().decode(OAuthTokenResponse.self, from: data) else { throw .unavailable("unreadable token response") }
        return grant
    }

    /// `application/x-www-form-urlencoded`: everything but unreserved characters is escaped.
    static func formEncode(_ fields: [(String, String)]) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return fields.map { k, v in
            (k.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") + "=" + (v.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }.joined(separator: "&")
    }
}

/// OAuth error bodies: RFC 6749 `{error, error_description}` or GHL's `{statusCode, message}`.
private struct OAuthErrorBody: Decodable {
    var error: String?
    var error_description: String?
    var message: String?
}

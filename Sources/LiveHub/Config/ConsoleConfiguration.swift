import Foundation

/// The web console's settings: sign-in inside GHL, the pages it may be framed by, and how long
/// a browser's access token lives.
package struct ConsoleConfiguration: Sendable {
    /// The marketplace app's Shared Secret, which decrypts GHL's user context
    /// (`LIVEHUB_GHL_SSO_KEY`, environment only). Without it, `POST /v1/sso/ghl` answers 503.
    package var ssoKey: String?
    /// LiveHub's role for each of GHL's (`LIVEHUB_GHL_SSO_ROLES`, `admin=supervisor,user=agent`).
    package var ssoRoles: [String: AccessToken.Role] = ["admin": .supervisor, "user": .agent]
    /// Who may frame the console (`LIVEHUB_FRAME_ANCESTORS`, space-separated CSP sources): GHL's
    /// app domains, white-label domains added by the operator.
    package var frameAncestors = ["https://app.gohighlevel.com", "https://*.gohighlevel.com", "https://app.leadconnectorhq.com", "https://*.leadconnectorhq.com"]
    /// Lifetime of a browser's access token; the page refreshes it before it ends
    /// (`LIVEHUB_CONSOLE_TOKEN_SECONDS`, default 900).
    package var sessionLifetime: Double = 900
    /// How long a browser session lasts in all, refreshes included; then it signs in again
    /// (`LIVEHUB_CONSOLE_SESSION_HOURS`, default 12).
    package var sessionMaxAge: Double = 12 * 3600
    /// Login links valid longer than this are refused (`livehub login-link --minutes`).
    static let maxTicketLifetime: Double = 3600
    /// Serve the console from this directory instead of the shipped files
    /// (`LIVEHUB_CONSOLE_DIR`; for working on the console: edit, restart, reload).
    package var assetsDirectory: String?

    package init() {}

    mutating func apply(_ env: [String: String], naming name: (String) -> String) throws {
        if let v = env["LIVEHUB_GHL_SSO_KEY"], !v.isEmpty { ssoKey = v }
        if let v = env["LIVEHUB_GHL_SSO_ROLES"], !v.isEmpty {
            var roles: [String: AccessToken.Role] = [:]
            for pair in v.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty, let role = AccessToken.Role(rawValue: parts[1]) else {
                    throw ConfigurationError("\(name("LIVEHUB_GHL_SSO_ROLES")) must be ghlRole=agent|supervisor|admin pairs, such as admin=supervisor,user=agent")
                }
                roles[parts[0]] = role
            }
            ssoRoles = roles
        }
        if let v = env["LIVEHUB_FRAME_ANCESTORS"] {
            let sources = v.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            // Sources only: a `;` or a quote would smuggle in another directive or keyword.
            let isSource = { (s: String) in s == "'none'" || s == "'self'" || !(s.contains(";") || s.contains("'")) }
            guard sources.allSatisfy(isSource) else {
                throw ConfigurationError("\(name("LIVEHUB_FRAME_ANCESTORS")) must be space-separated CSP sources such as https://app.gohighlevel.com")
            }
            frameAncestors = sources
        }
        if let v = env["LIVEHUB_CONSOLE_DIR"], !v.isEmpty { assetsDirectory = v }
        if let v = env["LIVEHUB_CONSOLE_SESSION_HOURS"] {
            guard let h = Double(v), h > 0, h <= 24 * 30 else {
                throw ConfigurationError("\(name("LIVEHUB_CONSOLE_SESSION_HOURS")) must be more than 0 and at most 720 hours, got \"\(v)\"")
            }
            sessionMaxAge = h * 3600
        }
        if let v = env["LIVEHUB_CONSOLE_TOKEN_SECONDS"] {
            guard let s = Double(v), s >= 60, s <= 86_400 else {
                throw ConfigurationError("\(name("LIVEHUB_CONSOLE_TOKEN_SECONDS")) must be 60…86400 seconds, got \"\(v)\"")
            }
            sessionLifetime = s
        }
    }
}

import Foundation

/// Where a location's access token comes from. Tokens are secrets: they are never logged and
/// never appear in an error message.
protocol GHLCredentialSource: Sendable {
    func token(for location: String) async throws -> String?
    /// Called after GHL answered 401 to `rejected`; returns a token worth one more try, if the
    /// source can get one.
    func refresh(for location: String, rejected: String) async throws -> String?
}

/// Private Integration Tokens from configuration (`LIVEHUB_GHL_TOKENS`, a JSON file
/// `{"locationId": "pit-…"}`): they do not expire and cannot be refreshed.
struct StaticTokens: GHLCredentialSource {
    let tokens: [String: String]

    static func load(file: String?) throws -> StaticTokens {
        guard let file else { return StaticTokens(tokens: [:]) }
        guard let data = FileManager.default.contents(atPath: file),
            let map = try? JSONDecoder().decode([String: String].self, from: data)
        else { throw ConfigurationError("\(file): expected a JSON object of location id → token") }
        return StaticTokens(tokens: map)
    }

    func token(for location: String) async throws -> String? { tokens[location] }
    func refresh(for location: String, rejected: String) async throws -> String? { nil }
}

/// A location's static token when configured, else its OAuth grant.
struct LocationCredentials: GHLCredentialSource {
    let tokens: StaticTokens
    let oauth: OAuthCredentials?

    func token(for location: String) async throws -> String? {
        if let pit = tokens.tokens[location] { return pit }
        return try await oauth?.token(for: location)
    }

    func refresh(for location: String, rejected: String) async throws -> String? {
        if tokens.tokens[location] != nil { return nil }
        return try await oauth?.refresh(for: location, rejected: rejected)
    }
}

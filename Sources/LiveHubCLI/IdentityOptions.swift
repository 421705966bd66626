import ArgumentParser
import Foundation
import LiveHub
import LiveHubTools

/// Who a credential is for (`livehub token`, `livehub login-link`), and the server secret that
/// signs it: the data directory's, or `LIVEHUB_JWT_SECRET`.
struct IdentityOptions: ParsableArguments {
    @Option(name: .long, help: "agent | supervisor | admin", transform: { raw in
        guard let role = AccessToken.Role(rawValue: raw) else { throw ValidationError("--role must be agent, supervisor or admin, not \"\(raw)\"") }
        return role
    }) var role: AccessToken.Role
    @Option(name: .long, help: "GHL user id (the token's subject).") var user: String
    @Option(name: .long, parsing: .singleValue, help: "A location id the holder may see (repeat for several; * for all).") var location: [String] = []
    @Option(name: .long, help: "Data directory holding the JWT secret (LIVEHUB_DATA_DIR; default ./.livehub).") var dataDir: String?

    func validate() throws {
        guard !location.isEmpty else { throw ValidationError("give at least one --location (or --location '*' for every location)") }
        guard !user.isEmpty, user.count <= 200 else { throw ValidationError("--user must be 1…200 characters") }
    }

    /// The configuration from the environment and `--data-dir`, and the authority that signs
    /// with its secret (generated, and said so on standard error, when there is none yet).
    func authority() async throws -> (ServerConfiguration, TokenAuthority) {
        var config = ServerConfiguration()
        do {
            try config.apply(environment: ProcessInfo.processInfo.environment)
            if let dataDir { config.dataDirectory = dataDir }
            let (authority, generated) = try await TokenAuthority.load(config)
            if generated { FileHandle.standardError.write(Data("generated a new JWT secret in \(config.dataDirectory)\n".utf8)) }
            return (config, authority)
        } catch let error as ConfigurationError {
            throw CommandError(error.description)
        } catch let error as CocoaError {
            throw CommandError("cannot use the data directory \(config.dataDirectory): \(error.localizedDescription). Choose another with --data-dir.")
        }
    }
}

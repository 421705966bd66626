import ArgumentParser
import Foundation
import LiveHub
import LiveHubTools

/// `livehub token`: mints an access token with the server's secret (the data directory's, or
/// `LIVEHUB_JWT_SECRET`).
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Mint an access token for an agent, supervisor or admin.")

    @Option(name: .long, help: "agent | supervisor | admin", transform: { raw in
        guard let role = AccessToken.Role(rawValue: raw) else { throw ValidationError("--role must be agent, supervisor or admin, not \"\(raw)\"") }
        return role
    }) var role: AccessToken.Role
    @Option(name: .long, help: "GHL user id (the token's subject).") var user: String
    @Option(name: .long, parsing: .singleValue, help: "A location id the holder may see (repeat for several; * for all).") var location: [String] = []
    @Option(name: .long, help: "Lifetime in hours (default 720: 30 days).") var hours: Double = 24 * 30
    @Option(name: .long, help: "Data directory holding the JWT secret (LIVEHUB_DATA_DIR; default ./.livehub).") var dataDir: String?

    func validate() throws {
        guard !location.isEmpty else { throw ValidationError("give at least one --location (or --location '*' for every location)") }
        guard !user.isEmpty else { throw ValidationError("--user must not be empty") }
        guard hours > 0 else { throw ValidationError("--hours must be more than 0") }
    }

    func run() async throws {
        var config = ServerConfiguration()
        do {
            try config.apply(environment: ProcessInfo.processInfo.environment)
            if let dataDir { config.dataDirectory = dataDir }
            let (authority, generated) = try await TokenAuthority.load(config)
            if generated { FileHandle.standardError.write(Data("generated a new JWT secret in \(config.dataDirectory)\n".utf8)) }
            print(try await authority.sign(AccessToken.make(user: user, role: role, locations: location, lifetime: hours * 3600)))
        } catch let error as ConfigurationError {
            throw CommandError(error.description)
        } catch let error as CocoaError {
            throw CommandError("cannot use the data directory \(config.dataDirectory): \(error.localizedDescription). Choose another with --data-dir.")
        }
    }
}

import ArgumentParser
import Foundation

/// `livehub token`: mints an access token with the server's secret.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Mint an access token for an agent, supervisor or admin.")

    @Option(name: .long, help: "agent | supervisor | admin") var role: String
    @Option(name: .long, help: "GHL user id (the token's subject).") var user: String
    @Option(name: .long, parsing: .singleValue, help: "A location id the holder may see (repeat for several; * for all).") var location: [String] = []
    @Option(name: .long, help: "Lifetime in hours.") var hours: Double = 24 * 30
    @Option(name: .long, help: "Data directory holding the JWT secret (LIVEHUB_DATA_DIR).") var dataDir: String?

    func run() async throws {
        guard let role = AccessToken.Role(rawValue: role) else { throw ValidationError("--role must be agent, supervisor or admin") }
        guard !location.isEmpty else { throw ValidationError("give at least one --location") }
        var config = ServerConfiguration()
        try config.apply(environment: ProcessInfo.processInfo.environment)
        if let dataDir { config.dataDirectory = dataDir }
        let (authority, generated) = try await TokenAuthority.load(config)
        if generated { FileHandle.standardError.write(Data("generated a new JWT secret in \(config.dataDirectory)\n".utf8)) }
        let token = AccessToken.make(user: user, role: role, locations: location, lifetime: hours * 3600)
        print(try await authority.sign(token))
    }
}

import ArgumentParser
import Foundation
import LiveHub

/// `livehub token`: mints an access token with the server's secret (the data directory's, or
/// `LIVEHUB_JWT_SECRET`).
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Mint an access token for an agent, supervisor or admin.")

    @OptionGroup var identity: IdentityOptions
    @Option(name: .long, help: "Lifetime in hours (default 720: 30 days).") var hours: Double = 24 * 30

    func validate() throws {
        guard hours > 0 else { throw ValidationError("--hours must be more than 0") }
    }

    func run() async throws {
        let (_, authority) = try await identity.authority()
        print(try await authority.sign(AccessToken.make(user: identity.user, role: identity.role, locations: identity.location, lifetime: hours * 3600)))
    }
}

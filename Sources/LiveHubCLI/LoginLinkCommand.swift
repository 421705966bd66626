import ArgumentParser
import Foundation
import LiveHub

/// `livehub login-link`: prints a one-time link that signs a browser into the console. The
/// ticket rides in the URL's fragment, which browsers never send to a server or its logs; the
/// page exchanges it once for a short-lived access token (`POST /v1/login`).
struct LoginLinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "login-link", abstract: "Print a one-time link that signs a browser into the console.")

    @OptionGroup var identity: IdentityOptions
    @Option(name: .long, help: "Minutes the link stays valid (default 10, at most 60).") var minutes: Double = 10
    @Option(name: .long, help: "The server's URL as the browser reaches it (default LIVEHUB_PUBLIC_URL, else http://HOST:PORT).") var url: String?

    func validate() throws {
        guard minutes > 0, minutes <= 60 else { throw ValidationError("--minutes must be more than 0 and at most 60: a login link is for now, not for later") }
    }

    func run() async throws {
        let (config, authority) = try await identity.authority()
        let ticket = try await authority.sign(LoginTicket.make(user: identity.user, role: identity.role, locations: identity.location, lifetime: minutes * 60))
        let base = url ?? ProcessInfo.processInfo.environment["LIVEHUB_PUBLIC_URL"] ?? "http://\(config.host):\(config.port)"
        print((base.hasSuffix("/") ? base : base + "/") + "#login=" + ticket)
    }
}

import ArgumentParser
import Foundation
import Hummingbird
import Logging

/// `livehub serve`: the server on its embedded defaults (SQLite, in-process fan-out).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the LiveHub server.")

    @Option(name: .long, help: "Address to bind (LIVEHUB_HOST).") var host: String?
    @Option(name: .long, help: "Port (LIVEHUB_PORT); 0 picks a free one.") var port: Int?
    @Option(name: .long, help: "Data directory (LIVEHUB_DATA_DIR).") var dataDir: String?
    @Option(name: .long, help: "trace|debug|info|notice|warning|error|critical (LIVEHUB_LOG_LEVEL).") var logLevel: String?
    @Option(name: .long, help: "text|json (LIVEHUB_LOG_FORMAT).") var logFormat: String?
    @Option(name: .long, help: "Comma-separated PEM files with GHL Ed25519 webhook keys (LIVEHUB_GHL_PUBLIC_KEYS).") var ghlPublicKeys: String?
    @Option(name: .long, help: "Comma-separated PEM files with legacy RSA webhook keys (LIVEHUB_GHL_RSA_KEYS).") var ghlRsaKeys: String?
    @Flag(name: .long, help: "Trust the dev key `livehub webhook send` signs with (LIVEHUB_TRUST_DEV_WEBHOOK_KEY).") var trustDevWebhookKey = false
    @Flag(name: .long, help: "DEVELOPMENT ONLY: accept unsigned webhooks (LIVEHUB_DEV_SKIP_SIGNATURE_CHECK).") var devSkipSignatureCheck = false
    @Option(name: .long, help: "Replay window in seconds for the webhook timestamp (LIVEHUB_REPLAY_WINDOW).") var replayWindow: Double?
    @Option(name: .long, help: "First-response target in seconds (LIVEHUB_SLA_SECONDS).") var slaSeconds: Double?

    func resolvedConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerConfiguration {
        var c = ServerConfiguration()
        try c.apply(environment: environment)
        var flags: [String: String] = [:]
        if let host { flags["LIVEHUB_HOST"] = host }
        if let port { flags["LIVEHUB_PORT"] = String(port) }
        if let dataDir { flags["LIVEHUB_DATA_DIR"] = dataDir }
        if let logLevel { flags["LIVEHUB_LOG_LEVEL"] = logLevel }
        if let logFormat { flags["LIVEHUB_LOG_FORMAT"] = logFormat }
        if let ghlPublicKeys { flags["LIVEHUB_GHL_PUBLIC_KEYS"] = ghlPublicKeys }
        if let ghlRsaKeys { flags["LIVEHUB_GHL_RSA_KEYS"] = ghlRsaKeys }
        if trustDevWebhookKey { flags["LIVEHUB_TRUST_DEV_WEBHOOK_KEY"] = "1" }
        if devSkipSignatureCheck { flags["LIVEHUB_DEV_SKIP_SIGNATURE_CHECK"] = "1" }
        if let replayWindow { flags["LIVEHUB_REPLAY_WINDOW"] = String(replayWindow) }
        if let slaSeconds { flags["LIVEHUB_SLA_SECONDS"] = String(slaSeconds) }
        try c.apply(environment: flags)
        return c
    }

    func run() async throws {
        let config = try resolvedConfiguration()
        LogSetup.bootstrap(level: config.logLevel, format: config.logFormat)
        let logger = Logger(label: "livehub")
        let (server, generatedSecret) = try await LiveHubServer.open(config, logger: logger)
        let app = server.application { port in
            let base = "http://\(config.host):\(port)"
            Console.say("LiveHub listening on \(base) (data in \(config.dataDirectory))")
            if generatedSecret {
                await Self.printFirstRun(server: server, base: base)
            }
        }
        try await server.serviceGroup(app).run()
    }

    static func printFirstRun(server: LiveHubServer, base: String) async {
        let token = AccessToken.make(user: "supervisor", role: .supervisor, locations: ["*"], lifetime: 30 * 86_400)
        guard let signed = try? await server.tokens.sign(token) else { return }
        Console.say("""
            First start: generated a JWT secret in \(server.config.dataURL.appendingPathComponent("jwt-secret").path) (mode 0600).
            A supervisor token for every location, valid 30 days:
              \(signed)
            Mint more with: livehub token --role agent --user USER_ID --location LOCATION_ID
            """)
    }
}

/// Writes straight to standard output: `print` is buffered when output is redirected, and the
/// banner must appear before the server runs for hours.
enum Console {
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

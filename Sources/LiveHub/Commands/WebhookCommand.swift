import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore

/// `livehub webhook send FILE`: posts a GHL webhook body signed with the local dev key, which
/// `livehub serve --trust-dev-webhook-key` accepts. For trying LiveHub without GHL.
struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook", abstract: "Send signed sample webhooks to a running server.", subcommands: [Send.self])

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign FILE with the dev key and POST it to /webhooks/ghl.")

        @Argument(help: "A GHL webhook JSON body (see Fixtures/ghl).") var file: String
        @Option(name: .long, help: "Server base URL.") var url = "http://127.0.0.1:8080"
        @Option(name: .long, help: "Data directory holding the dev key (LIVEHUB_DATA_DIR).") var dataDir: String?
        @Flag(name: .long, inversion: .prefixedNo, help: "Give the body a new webhookId, messageId and current timestamp (default on).") var fresh = true

        func run() async throws {
            var config = ServerConfiguration()
            try config.apply(environment: ProcessInfo.processInfo.environment)
            if let dataDir { config.dataDirectory = dataDir }
            let key = try DevWebhookKey.loadOrCreate(in: config.dataURL)
            var body = Array(try readFile(file))
            if fresh { body = try Self.refreshed(body) }
            let signature = try key.signature(for: body).base64EncodedString()
            var request = HTTPClientRequest(url: url.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/webhooks/ghl")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.headers.add(name: "x-ghl-signature", value: signature)
            request.body = .bytes(ByteBuffer(bytes: body))
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let response = try await client.execute(request, timeout: .seconds(30))
                let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
                print("\(response.status.code) \(text)")
                try await client.shutdown()
                if response.status.code >= 300 { throw ExitCode(1) }
            } catch {
                try? await client.shutdown()
                throw error
            }
        }

        /// Re-identifies a sample so it can be sent many times: webhookId, messageId, timestamp.
        static func refreshed(_ body: [UInt8]) throws -> [UInt8] {
            guard var object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                throw CommandError("the file is not a JSON object")
            }
            let id = UUID().uuidString.lowercased()
            object["webhookId"] = "dev-" + id
            object["timestamp"] = Date().ISO8601Format()
            if object["messageId"] != nil { object["messageId"] = "dev-msg-" + id }
            return Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        }
    }
}

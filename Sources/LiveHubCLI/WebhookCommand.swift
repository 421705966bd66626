import ArgumentParser
import AsyncHTTPClient
import Foundation
import LiveHub
import LiveHubTools
import NIOCore

/// `livehub webhook send FILE`: posts a GHL webhook body signed with the local dev key, which
/// `livehub serve --trust-dev-webhook-key` accepts. For trying LiveHub without GHL.
struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook", abstract: "Send signed sample webhooks to a running server.", subcommands: [Send.self])

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign FILE with the dev key and POST it to /webhooks/ghl.")

        @Argument(help: "A GHL webhook JSON body (see Fixtures/ghl).") var file: String
        @Option(name: .long, help: "Server base URL (default http://127.0.0.1:8080).") var url = "http://127.0.0.1:8080"
        @Option(name: .long, help: "Data directory holding the dev key; the server's (LIVEHUB_DATA_DIR; default ./.livehub).") var dataDir: String?
        @Flag(name: .long, inversion: .prefixedNo, help: "Make the sample new: fresh webhookId and messageId, timestamp and dateAdded now (default on).") var fresh = true

        func run() async throws {
            var config = ServerConfiguration()
            try config.apply(environment: ProcessInfo.processInfo.environment)
            if let dataDir { config.dataDirectory = dataDir }
            let key = try DevWebhookKey.loadOrCreate(in: config.dataURL)
            var body = Array(try readFile(file))
            if fresh { body = try Self.refreshed(body, file: file) }
            let target = url.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/webhooks/ghl"
            var request = HTTPClientRequest(url: target)
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.headers.add(name: "x-ghl-signature", value: try key.signature(for: body).base64EncodedString())
            request.body = .bytes(ByteBuffer(bytes: body))
            let response: HTTPClientResponse
            let text: String
            do {
                response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                text = String(buffer: try await response.body.collect(upTo: 1 << 20))
            } catch {
                throw CommandError("cannot reach \(target) (\(Self.reason(error))). Is `swift run livehub serve` running there?")
            }
            print("\(response.status.code) \(text)")
            if response.status == .unauthorized, text.contains("invalid_signature") {
                FileHandle.standardError.write(Data("""
                    The server does not trust the dev key this command signs with. Start it with
                      swift run livehub serve --trust-dev-webhook-key
                    using the same data directory as this command (\(config.dataDirectory)).

                    """.utf8))
            }
            if response.status.code >= 300 { throw ExitCode(1) }
        }

        /// Makes a sample new, so it can be sent many times and reads as happening now:
        /// webhookId, messageId, timestamp and dateAdded.
        static func refreshed(_ body: [UInt8], file: String) throws -> [UInt8] {
            let parsed: Any
            do {
                parsed = try JSONSerialization.jsonObject(with: Data(body))
            } catch {
                throw CommandError("\(file) is not JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)")")
            }
            guard var object = parsed as? [String: Any] else { throw CommandError("\(file) is not a JSON object") }
            let id = UUID().uuidString.lowercased()
            let now = Date().ISO8601Format()
            object["webhookId"] = "dev-" + id
            object["timestamp"] = now
            if object["messageId"] != nil { object["messageId"] = "dev-msg-" + id }
            if object["dateAdded"] != nil { object["dateAdded"] = now }
            return Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        }

        static func reason(_ error: any Error) -> String {
            if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
            if let http = error as? HTTPClientError { return "\(http)" }
            return String(describing: type(of: error))
        }
    }
}

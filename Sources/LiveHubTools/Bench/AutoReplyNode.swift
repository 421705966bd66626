import Actors
import AsyncHTTPClient
import Foundation
import LiveHub
import NIOCore

extension BenchCommand.AutoReply {
    /// One `livehub serve` child pointed at the fake GHL, with every bench location in `auto`.
    struct Node: Sendable {
        let port: Int
        let locationCount: Int
        let sender: WebhookSender
        let start: @Sendable () async throws -> ServerProcess
        let configure: @Sendable () async throws -> Void

        init(bench: BenchCommand.AutoReply, client: HTTPClient, zone: String, paused: Bool, locationCount: Int, data: URL? = nil, configure: Bool = true) throws {
            let data = data ?? FileManager.default.temporaryDirectory.appendingPathComponent("livehub-bench-auto-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            let key = try DevWebhookKey.loadOrCreate(in: data)
            let tokens = data.appendingPathComponent("ghl-tokens.json")
            let map = Dictionary(uniqueKeysWithValues: (0..<locationCount).map { ("auto-loc-\($0)", "pit-bench-\($0)") })
            try JSONEncoder().encode(map).write(to: tokens)
            let port = bench.port
            let environment = [
                "LIVEHUB_GHL_API_URL": "http://127.0.0.1:\(bench.ghlPort)", "LIVEHUB_GHL_TOKENS": tokens.path, "LIVEHUB_OUTBOX_PAUSED": paused ? "1" : "0",
            ]
            self.port = port
            self.locationCount = locationCount
            self.sender = WebhookSender(client: client, url: "http://127.0.0.1:\(port)/webhooks/ghl", key: key)
            self.start = { try ServerProcess.start(port: port, dataDirectory: data, environment: environment) }
            self.configure = {
                guard configure else { return }
                var config = ServerConfiguration()
                config.dataDirectory = data.path
                let (authority, _) = try await TokenAuthority.load(config)
                let admin = try await authority.sign(AccessToken.make(user: "bench-admin", role: .admin, locations: ["*"], lifetime: 3600))
                let settings = try PayloadEncoder.encode(AutoResponderSettings(mode: .auto, timezone: zone, delaySeconds: 0))
                for l in 0..<locationCount {
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/locations/auto-loc-\(l)/autoresponder")
                    request.method = .PUT
                    request.headers.add(name: "Authorization", value: "Bearer \(admin)")
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(data: settings))
                    let response = try await client.execute(request, timeout: .seconds(10))
                    guard response.status == .ok else { throw CommandError("PUT autoresponder settings: \(response.status)") }
                }
            }
        }

        /// Starts the server, applies the settings, runs `body`, then stops the server gracefully.
        func run<T: Sendable>(_ body: @Sendable (Node) async throws -> T) async throws -> T {
            let process = try await start()
            defer { process.stop() }
            try await ServerProcess.waitUntilReady(port: port)
            try await configure()
            return try await body(self)
        }

        /// Lead number `i`'s first message (a new contact and conversation).
        func lead(_ i: Int, contact: String) async throws -> Bool {
            let text = BenchCommand.AutoReply.leadTexts[i % BenchCommand.AutoReply.leadTexts.count]
            return try await sender.post(
                WebhookSender.body(id: "auto-\(contact)", location: "auto-loc-\(i % locationCount)", contact: contact, conversation: "conv-\(contact)", text: text))
        }
    }
}

import ArgumentParser
import AsyncHTTPClient
import Foundation
import LiveHub
import Logging
import NIOCore

extension BenchCommand {
    /// `livehub bench draft`: LiveHub's own overhead on AI-drafted replies.
    ///
    /// A `livehub serve` child is pointed (`LIVEHUB_LLM_PROVIDER=anthropic`) at a fake provider
    /// (`RecordedStreamServer`) that replays a recorded Anthropic stream in one write. One
    /// conversation is seeded with a signed InboundMessage webhook, drafts are turned on for its
    /// location, and an agent's WebSocket asks for N drafts one after the other (ask, wait for
    /// `reply.draft.done` or `reply.draft.failed`, ask again).
    ///
    /// Overhead of draft i = the wall-clock `Date` the agent's socket received the draft's first
    /// `reply.draft.delta` − the `Date` the fake provider wrote the first body byte of request i:
    /// parsing the provider's stream, framing and the WebSocket hop. Both clocks are the same
    /// machine's (the server is a child process). End to end = op sent → `reply.draft.done`.
    struct Draft: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "draft", abstract: "AI-drafted replies against a fake LLM provider: LiveHub's overhead from the provider's first byte to the agent's first delta.")

        @Option(help: "Drafts to ask for, one after the other.") var drafts = 200
        @Option(help: "Recorded Anthropic SSE stream the fake provider replays.") var stream = "Fixtures/llm/anthropic-basic.sse"
        @Option(help: "Port for the server under test.") var port = 18_095
        @Option(help: "Seconds to wait for one draft to finish.") var timeout = 30

        func validate() throws {
            guard drafts > 0 else { throw ValidationError("--drafts must be positive") }
            guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        }

        func run() async throws {
            guard let recorded = FileManager.default.contents(atPath: stream), !recorded.isEmpty else {
                throw CommandError("cannot read the recorded stream at \(stream) (run from the repository, or pass --stream PATH)")
            }
            let fake = try await RecordedStreamServer.start()
            fake.defaultScript = .stream(Array(recorded))
            do {
                try await measure(fake, streamBytes: recorded.count)
            } catch {
                try? await fake.stop()
                throw error
            }
            try await fake.stop()
        }

        private func measure(_ fake: RecordedStreamServer, streamBytes: Int) async throws {
            var logger = Logger(label: "bench")
            logger.logLevel = .critical
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-bench-draft-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            let key = try DevWebhookKey.loadOrCreate(in: data)
            let child = try ServerProcess.start(port: port, dataDirectory: data, environment: [
                "LIVEHUB_LLM_PROVIDER": "anthropic", "LIVEHUB_LLM_BASE_URL": fake.baseURL, "LIVEHUB_LLM_API_KEY": "bench", "LIVEHUB_LLM_MODEL": "bench-model",
            ])
            defer { child.stop() }
            try await ServerProcess.waitUntilReady(port: port)
            let base = "http://127.0.0.1:\(port)"
            var config = ServerConfiguration()
            config.dataDirectory = data.path
            let (authority, _) = try await TokenAuthority.load(config)
            let admin = try await authority.sign(AccessToken.make(user: "bench-admin", role: .admin, locations: ["loc-1"], lifetime: 3600))
            let agent = try await authority.sign(AccessToken.make(user: "bench-agent", role: .agent, locations: ["loc-1"], lifetime: 3600))
            let client = BenchSetup.client()

            print("LiveHub draft benchmark — \(BenchSetup.build), loopback, server pid \(child.pid), \(ProcessInfo.processInfo.activeProcessorCount) cores")
            print("fake Anthropic provider at \(fake.baseURL) replaying \(stream) (\(streamBytes) bytes, one write)")

            // The conversation the drafts are for, and drafts on for its location.
            let sender = WebhookSender(client: client, url: base + "/webhooks/ghl", key: key)
            let seed = WebhookSender.body(id: "draft-seed-1", location: "loc-1", contact: "contact-1", conversation: "conv-1", text: "Hi! Is the house on Oak Ridge still available? Could we see it Saturday after 2?")
            guard try await sender.post(seed) else { throw CommandError("the seed webhook was not acknowledged") }
            try await enableDrafts(client: client, base: base, token: admin)
            try await client.shutdown()

            let socket = try await DraftBenchClient.connect(port: port, token: agent, logger: logger)
            var frames = socket.frames.makeAsyncIterator()
            var overhead: [Double] = []
            var endToEnd: [Double] = []
            var failed = 0
            var reasons: [String: Int] = [:]
            var unmatched = 0
            for _ in 0..<drafts {
                let exchangesBefore = fake.exchanges.count
                let watchdog = Task {
                    try await Task.sleep(for: .seconds(timeout))
                    await socket.close()
                }
                let sent = Date()
                try await socket.send(#"{"op":"reply.draft","conversationId":"conv-1"}"#)
                var firstDelta: Date?
                var outcome: (done: Bool, at: Date, reason: String?)?
                while outcome == nil, let next = await frames.next() {
                    let received = next.received
                    guard let frame = (try? JSONSerialization.jsonObject(with: Data(next.text.utf8))) as? [String: Any], let type = frame["type"] as? String else { continue }
                    switch type {
                    case "reply.draft.delta": if firstDelta == nil { firstDelta = received }
                    case "reply.draft.done": outcome = (true, received, nil)
                    case "reply.draft.failed": outcome = (false, received, frame["reason"] as? String ?? "?")
                    case "error": outcome = (false, received, "error frame: \(frame["code"] as? String ?? "?") \(frame["message"] as? String ?? "")")
                    default: continue
                    }
                }
                watchdog.cancel()
                guard let outcome else { throw CommandError("the WebSocket closed (or a draft took longer than \(timeout) s) after \(overhead.count + failed) drafts") }
                if !outcome.done {
                    failed += 1
                    reasons[outcome.reason ?? "?", default: 0] += 1
                    continue
                }
                endToEnd.append(outcome.at.timeIntervalSince(sent) * 1_000)
                // The draft's request is the first the fake saw after the op was sent.
                let exchanges = fake.exchanges
                if let delta = firstDelta, exchanges.count > exchangesBefore, let firstByte = exchanges[exchangesBefore].firstByteDate {
                    overhead.append(delta.timeIntervalSince(firstByte) * 1_000)
                } else {
                    unmatched += 1
                }
            }
            await socket.close()

            let o = Self.percentiles(overhead)
            let e = Self.percentiles(endToEnd)
            print("drafts: \(drafts) sequential on one agent socket, \(endToEnd.count) done, \(failed) failed\(unmatched > 0 ? ", \(unmatched) done without a matching provider first byte or delta" : "")")
            for (reason, n) in reasons.sorted(by: { $0.value > $1.value }) { print("  failed \(n)×: \(reason)") }
            print(String(format: "  LiveHub overhead (provider's first byte → agent's first reply.draft.delta): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)", o.p50, o.p90, o.p99, o.max, overhead.count))
            print(String(format: "  end to end (reply.draft sent → reply.draft.done received): p50 %.2f ms, p99 %.2f ms (%d samples)", e.p50, e.p99, endToEnd.count))
        }

        /// `PATCH /v1/locations/loc-1/autoresponder` with drafts on (PATCH replaces the whole
        /// `drafts` object, and every field of it has a default).
        private func enableDrafts(client: HTTPClient, base: String, token: String) async throws {
            var request = HTTPClientRequest(url: base + "/v1/locations/loc-1/autoresponder")
            request.method = .PATCH
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"drafts":{"enabled":true,"maxPerHour":3600}}"#))
            let response = try await client.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 16)
            guard response.status == .ok else { throw CommandError("PATCH autoresponder settings: \(response.status) \(String(buffer: body))") }
        }

        /// Nearest-rank percentiles of milliseconds (zeros for no samples).
        static func percentiles(_ samples: [Double]) -> (p50: Double, p90: Double, p99: Double, max: Double) {
            let ms = samples.sorted()
            func at(_ q: Double) -> Double { ms.isEmpty ? 0 : ms[min(ms.count - 1, Int(Double(ms.count) * q))] }
            return (at(0.5), at(0.9), at(0.99), ms.last ?? 0)
        }
    }
}

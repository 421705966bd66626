import ArgumentParser
import AsyncHTTPClient
import Crypto
import Foundation
import LiveHub
import HummingbirdWSClient
import Logging
import NIOCore

/// `livehub bench server`: load against a real `livehub serve` child process on loopback.
///
/// 1. Latency: signed InboundMessage webhooks at a fixed rate (open loop) over C conversations
///    while S subscribers each listen to one conversation; webhook→socket latency is the time
///    from sending the webhook to a subscriber receiving its `message.inbound` event.
/// 2. Throughput: as many webhooks as N concurrent senders can get acknowledged (each 200 is a
///    durable commit) for a few seconds.
/// 3. One conversation: the same closed loop into a single conversation, with a subscriber
///    checking order, gap-free `seq` and that every acknowledged message arrives once.
/// 4. Memory: the server's RSS before and after opening K idle authenticated WebSockets.
package struct BenchCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(commandName: "bench", abstract: "Benchmarks (run with -c release).", subcommands: [Server.self, AutoReply.self, ClusterBench.self, Draft.self])

    package init() {}

    struct Server: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Webhook→socket latency, sustained durable webhooks/s, memory per idle WebSocket.")

        @Option(help: "Webhooks per second in the latency phase.") var rate = 1_000
        @Option(help: "Seconds of the latency phase.") var seconds = 10
        @Option(help: "WebSocket subscribers during the latency phase.") var subscribers = 100
        @Option(help: "Conversations the webhooks are spread over.") var conversations = 100
        @Option(help: "Concurrent senders in the throughput phase.") var senders = 64
        @Option(help: "Seconds of the throughput phase.") var throughputSeconds = 5
        @Option(help: "Idle WebSockets for the memory phase.") var idle = 5_000
        @Option(help: "Port for the server under test.") var port = 18_099
        @Option(help: "Measure an already running server with this pid (started with --trust-dev-webhook-key) instead of starting one.") var attachPid: Int32?
        @Option(help: "With --attach-pid: that server's data directory (for its JWT secret and dev key).") var dataDir: String?

        func run() async throws {
            var logger = Logger(label: "bench")
            logger.logLevel = .critical
            let data = dataDir.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory.appendingPathComponent("livehub-bench-\(UUID().uuidString)")
            let key = try DevWebhookKey.loadOrCreate(in: data)
            let child: ServerProcess? = attachPid == nil ? try ServerProcess.start(port: port, dataDirectory: data) : nil
            defer { child?.stop() }
            try await ServerProcess.waitUntilReady(port: port)
            let pid = attachPid ?? child?.pid ?? 0
            let base = "http://127.0.0.1:\(port)"
            var config = ServerConfiguration()
            config.dataDirectory = data.path
            let (authority, _) = try await TokenAuthority.load(config)
            let token = try await authority.sign(AccessToken.make(user: "bench", role: .supervisor, locations: ["*"], lifetime: 3600))
            let client = BenchSetup.client()
            let sender = WebhookSender(client: client, url: base + "/webhooks/ghl", key: key)

            print("LiveHub server benchmark — \(BenchSetup.build), loopback, server pid \(pid), \(ProcessInfo.processInfo.activeProcessorCount) cores")
            // Conversations must exist before they can be subscribed to.
            for c in 0..<conversations { _ = try await sender.send(conversation: c, id: "warm-\(c)") }

            let listeners = try await Listener.connect(count: subscribers, conversations: conversations, port: port, token: token, logger: logger)
            let latency = try await LatencyPhase(sender: sender, listeners: listeners, rate: rate, seconds: seconds, conversations: conversations).run()
            print(latency)
            for l in listeners { await l.close() }

            let throughput = try await ThroughputPhase(sender: sender, senders: senders, seconds: throughputSeconds, conversations: conversations).run()
            print(throughput)

            _ = try await sender.send(conversationId: "bench-conv-hot", contact: "bench-contact-hot", id: "warm-hot")
            let hotListener = try await Listener.connect(count: 1, conversations: 1, port: port, token: token, logger: logger) { _ in "bench-conv-hot" }
            let hot = try await HotConversationPhase(sender: sender, listener: hotListener[0], conversationId: "bench-conv-hot", senders: senders, seconds: throughputSeconds).run()
            print(hot)
            for l in hotListener { await l.close() }

            let memory = try await MemoryPhase(count: idle, port: port, token: token, pid: pid, logger: logger).run()
            print(memory)
            try await client.shutdown()
        }
    }
}

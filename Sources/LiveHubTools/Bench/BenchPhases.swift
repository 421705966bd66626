import Actors
import Foundation
import LiveHub
import HummingbirdWSClient
import Logging
import Synchronization

/// Percentiles of a sample, in milliseconds.
struct Percentiles: CustomStringConvertible {
    let p50: Double, p99: Double, max: Double, count: Int

    init(_ durations: [Duration]) {
        let ms = durations.map { $0.inSeconds * 1_000 }.sorted()
        count = ms.count
        func at(_ q: Double) -> Double { ms.isEmpty ? 0 : ms[Swift.min(ms.count - 1, Int(Double(ms.count) * q))] }
        p50 = at(0.5)
        p99 = at(0.99)
        max = ms.last ?? 0
    }

    var description: String { String(format: "p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)", p50, p99, max, count) }

    static func milliseconds(_ d: Duration) -> String { String(format: "%.0f ms", d.inSeconds * 1_000) }
}

/// Open-loop webhooks at a fixed rate; latency to each subscriber's `message.inbound`.
struct LatencyPhase {
    let sender: WebhookSender
    let listeners: [Listener]
    let rate: Int
    let seconds: Int
    let conversations: Int
    /// Names this phase's webhooks, so that several phases can share listeners.
    var prefix = "lat-"

    func run() async throws -> String {
        let sent = LockedBox<[String: ContinuousClock.Instant]>([:])
        let failures = AtomicCount()
        let total = rate * seconds
        let start = ContinuousClock.now
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<total {
                let due = start + interval * i
                if due > ContinuousClock.now { try? await Task.sleep(until: due, clock: .continuous) }
                let id = "\(prefix)\(i)"
                group.addTask {
                    sent.update { $0[id] = .now }
                    if (try? await sender.send(conversation: i % conversations, id: id)) != true { failures.add() }
                }
            }
        }
        let elapsed = ContinuousClock.now - start
        try await Task.sleep(for: .milliseconds(500))  // last deliveries
        let sentAt = sent.get()
        var samples: [Duration] = []
        for l in listeners {
            for (id, at) in l.received where id.hasPrefix(prefix) {
                if let t0 = sentAt[id] { samples.append(at - t0) }
            }
        }
        let achieved = Double(total) / elapsed.inSeconds
        let deliveries = Double(samples.count) / Double(seconds)
        return """
            latency: \(total) webhooks at \(rate)/s (achieved \(Int(achieved))/s, \(failures.count) failed) over \(conversations) conversations, \(listeners.count) subscribers
              webhook→socket (message.inbound received): \(Percentiles(samples))
              message.inbound deliveries/s: \(Int(deliveries))
            """
    }
}

/// Closed loop: N senders, each waiting for its 200 (a durable commit) before the next.
struct ThroughputPhase {
    let sender: WebhookSender
    let senders: Int
    let seconds: Int
    let conversations: Int

    func run() async throws -> String {
        let (ok, failed, elapsed) = await ClosedLoop.run(senders: senders, seconds: seconds) { s, n in
            (try? await sender.send(conversation: (s * 7 + n) % conversations, id: "tp-\(s)-\(n)")) == true
        }
        return "throughput: \(Int(Double(ok) / elapsed.inSeconds)) webhooks/s acknowledged after durable commit (\(senders) concurrent senders, \(seconds) s, \(failed) failed)"
    }
}

/// `senders` tasks for `seconds`, each sending its next webhook (`send(sender, n)`, true when
/// acknowledged) once the last one was answered.
enum ClosedLoop {
    static func run(senders: Int, seconds: Int, _ send: @escaping @Sendable (_ sender: Int, _ n: Int) async -> Bool) async -> (ok: Int, failed: Int, elapsed: Duration) {
        let ok = AtomicCount()
        let failed = AtomicCount()
        let start = ContinuousClock.now
        let deadline = start + .seconds(seconds)
        await withTaskGroup(of: Void.self) { group in
            for s in 0..<senders {
                group.addTask {
                    var n = 0
                    while ContinuousClock.now < deadline {
                        if await send(s, n) { ok.add() } else { failed.add() }
                        n += 1
                    }
                }
            }
        }
        return (ok.count, failed.count, ContinuousClock.now - start)
    }
}

/// Closed loop into one conversation: N senders, each waiting for its 200 before the next, while
/// one subscriber checks that every event arrives in `seq` order without a gap and that every
/// acknowledged message arrives once.
struct HotConversationPhase {
    let sender: WebhookSender
    let listener: Listener
    let conversationId: String
    let senders: Int
    let seconds: Int

    func run() async throws -> String {
        let acknowledged = LockedBox<[String]>([])
        let (_, failed, elapsed) = await ClosedLoop.run(senders: senders, seconds: seconds) { s, n in
            let id = "hot-\(s)-\(n)"
            guard (try? await sender.send(conversationId: conversationId, contact: "bench-contact-hot", id: id)) == true else { return false }
            acknowledged.update { $0.append(id) }
            return true
        }
        let acked = acknowledged.get()
        // Every acknowledged message was published after its commit: wait until all arrived.
        let wait = ContinuousClock.now + .seconds(10)
        while Set(listener.received.map(\.0)).isSuperset(of: acked) == false, ContinuousClock.now < wait { try await Task.sleep(for: .milliseconds(50)) }
        let seqs = listener.receivedSeqs
        let gapFree = zip(seqs, seqs.dropFirst()).allSatisfy { $1 == $0 + 1 }
        let ids = listener.received.map(\.0).filter { $0.hasPrefix("hot-") }
        let once = ids.count == acked.count && Set(ids) == Set(acked)
        return """
            one conversation: \(Int(Double(acked.count) / elapsed.inSeconds)) webhooks/s acknowledged after durable commit (\(senders) concurrent senders, \(seconds) s, \(failed) failed)
              subscriber: \(seqs.count) events, seq in order without a gap: \(gapFree ? "yes" : "NO"); every acknowledged message once: \(once ? "yes" : "NO (\(ids.count) received for \(acked.count))")
            """
    }
}

/// RSS growth of the server per idle authenticated WebSocket.
struct MemoryPhase {
    let count: Int
    let port: Int
    let token: String
    let pid: Int32
    let logger: Logger

    func run() async throws -> String {
        try await Task.sleep(for: .seconds(1))
        let before = ServerProcess.rss(pid)
        let connected = AtomicCount()
        let stop = LockedBox(false)
        var tasks: [Task<Void, Never>] = []
        for batch in stride(from: 0, to: count, by: 250) {
            for _ in batch..<min(count, batch + 250) {
                tasks.append(Task {
                    _ = try? await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/v1/ws?access_token=\(token)", logger: logger) { inbound, outbound, _ in
                        connected.add()
                        while !stop.get() { try await Task.sleep(for: .milliseconds(200)) }
                        try await outbound.close(.normalClosure, reason: nil)
                        for try await _ in inbound {}
                    }
                })
            }
            while connected.count < min(count, batch + 250) { try await Task.sleep(for: .milliseconds(10)) }
        }
        try await Task.sleep(for: .seconds(2))
        let after = ServerProcess.rss(pid)
        stop.update { $0 = true }
        for t in tasks { await t.value }
        let per = Double(after - before) / Double(count)
        return String(format: "memory: server RSS %.1f MB → %.1f MB with %d idle WebSockets: %.1f KB per connection", Double(before) / 1e6, Double(after) / 1e6, count, per / 1024)
    }
}

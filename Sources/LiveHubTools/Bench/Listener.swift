import Foundation
import LiveHub
import HummingbirdWSClient
import Logging
import Synchronization

/// A WebSocket subscriber that timestamps every `message.inbound` it receives.
final class Listener: Sendable {
    private let arrivals = Mutex<[(String, ContinuousClock.Instant)]>([])
    /// The `seq` of every event frame, in arrival order.
    private let seqs = Mutex<[UInt64]>([])
    private let writer = Mutex<WebSocketOutboundWriter?>(nil)
    private let ready = Mutex(false)
    private let task = Mutex<Task<Void, Never>?>(nil)

    var received: [(String, ContinuousClock.Instant)] { arrivals.withLock { $0 } }
    var receivedSeqs: [UInt64] { seqs.withLock { $0 } }

    static func connect(count: Int, conversations: Int, port: Int, token: String, logger: Logger, name: (Int) -> String = { "bench-conv-\($0)" }) async throws -> [Listener] {
        var all: [Listener] = []
        for i in 0..<count {
            let l = Listener()
            let topic = "conversation:" + name(i % conversations)
            let t = Task {
                _ = try? await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/v1/ws?access_token=\(token)", configuration: .init(maxFrameSize: 1 << 20), logger: logger) { inbound, outbound, _ in
                    l.writer.withLock { $0 = outbound }
                    try await outbound.write(.text(#"{"op":"subscribe","topic":"\#(topic)"}"#))
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message else { continue }
                        if text.contains(#""type":"subscribed""#) { l.ready.withLock { $0 = true } }
                        if let seq = Self.seq(text) { l.seqs.withLock { $0.append(seq) } }
                        if text.contains(#""kind":"message.inbound""#), let id = Self.messageId(text) {
                            let now = ContinuousClock.now
                            l.arrivals.withLock { $0.append((id, now)) }
                        }
                    }
                }
            }
            l.task.withLock { $0 = t }
            all.append(l)
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while all.contains(where: { !$0.ready.withLock { $0 } }) {
            guard ContinuousClock.now < deadline else { throw CommandError("subscribers did not all subscribe") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return all
    }

    /// `…"messageId":"m-ID"…` → `ID` (the webhook id), without parsing the whole frame.
    static func messageId(_ text: String) -> String? {
        guard let r = text.range(of: #""messageId":"m-"#) else { return nil }
        let rest = text[r.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    /// `…"seq":N,…` of an event frame.
    static func seq(_ text: String) -> UInt64? {
        guard text.hasPrefix(#"{"type":"event""#), let r = text.range(of: #","seq":"#) else { return nil }
        return UInt64(text[r.upperBound...].prefix { $0.isNumber })
    }

    func close() async {
        if let w = writer.withLock({ $0 }) { try? await w.close(.normalClosure, reason: nil) }
        await task.withLock { $0 }?.value
    }
}

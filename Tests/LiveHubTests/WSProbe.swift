import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import Synchronization

/// A real WebSocket client for tests: records every text frame it receives and can send frames.
final class WSProbe: Sendable {
    private let frames = Mutex<[String]>([])
    private let writer = Mutex<WebSocketOutboundWriter?>(nil)
    private let closed = Mutex<WebSocketCloseFrame??>(nil)
    private let task = Mutex<Task<Void, Never>?>(nil)

    var received: [String] { frames.withLock { $0 } }
    var closeFrame: WebSocketCloseFrame?? { closed.withLock { $0 } }

    /// Parsed frames (test convenience).
    var json: [[String: Any]] { received.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } }

    static func connect(port: Int, token: String, viaQuery: Bool = true) async throws -> WSProbe {
        let probe = WSProbe()
        var headers = HTTPFields()
        var url = "ws://127.0.0.1:\(port)/v1/ws"
        if viaQuery { url += "?access_token=\(token)" } else { headers[.authorization] = "Bearer \(token)" }
        var logger = Logger(label: "ws-probe")
        logger.logLevel = .critical
        let t = Task {
            do {
                let close = try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 1 << 21, additionalHeaders: headers), logger: logger) { inbound, outbound, _ in
                    probe.writer.withLock { $0 = outbound }
                    for try await message in inbound.messages(maxSize: 1 << 22) {
                        if case .text(let text) = message { probe.frames.withLock { $0.append(text) } }
                    }
                    probe.writer.withLock { $0 = nil }
                }
                probe.closed.withLock { $0 = .some(close) }
            } catch {
                probe.closed.withLock { $0 = .some(nil) }
            }
        }
        probe.task.withLock { $0 = t }
        // Connected once the server's hello arrives (or the connection failed).
        try await probe.waitUntil(timeout: .seconds(30)) { $0.received.contains { $0.contains("\"hello\"") } || $0.closeFrame != nil }
        if probe.closeFrame != nil { throw ProbeError.connectFailed }
        return probe
    }

    enum ProbeError: Error { case connectFailed, timeout(String), notConnected }

    func send(_ text: String) async throws {
        guard let w = writer.withLock({ $0 }) else { throw ProbeError.notConnected }
        try await w.write(.text(text))
    }

    func sendBinary(_ bytes: [UInt8]) async throws {
        guard let w = writer.withLock({ $0 }) else { throw ProbeError.notConnected }
        try await w.write(.binary(.init(bytes: bytes)))
    }

    func close() async {
        if let w = writer.withLock({ $0 }) { try? await w.close(.normalClosure, reason: nil) }
        await task.withLock { $0 }?.value
    }

    /// Polls until `condition` holds: network delivery has no completion signal to wait on.
    func waitUntil(timeout: Duration = .seconds(30), _ what: String = "condition", _ condition: (WSProbe) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition(self) {
            if ContinuousClock.now > deadline { throw ProbeError.timeout(what) }
            // Polling re-reads the frames; under load a slower poll leaves the CPU to the server.
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func frames(type: String) -> [[String: Any]] { json.filter { $0["type"] as? String == type } }
    /// The topic's events, without the presence frames (`conversation.viewers`) that come and go with other clients.
    func events(topic: String) -> [[String: Any]] {
        json.filter { $0["type"] as? String == "event" && $0["topic"] as? String == topic && $0["kind"] as? String != "conversation.viewers" }
    }
    func viewerFrames(topic: String) -> [[String: Any]] {
        json.filter { $0["type"] as? String == "event" && $0["topic"] as? String == topic && $0["kind"] as? String == "conversation.viewers" }
    }
    func seqs(topic: String) -> [Int] { events(topic: topic).compactMap { $0["seq"] as? Int } }
}

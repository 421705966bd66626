import Foundation
import HummingbirdWSClient
import Logging
import Synchronization

/// One agent's WebSocket for `bench draft`: sends ops and hands every text frame on with the
/// wall-clock `Date` it was received (taken before the frame is looked at).
final class DraftBenchClient: Sendable {
    typealias Frame = (received: Date, text: String)

    let frames: AsyncStream<Frame>
    private let continuation: AsyncStream<Frame>.Continuation
    private let writer = Mutex<WebSocketOutboundWriter?>(nil)
    private let task = Mutex<Task<Void, Never>?>(nil)

    private init() {
        (frames, continuation) = AsyncStream.makeStream(of: Frame.self)
    }

    /// Connects to `ws://127.0.0.1:port/v1/ws` with `token`; returns once the socket is open.
    static func connect(port: Int, token: String, logger: Logger) async throws -> DraftBenchClient {
        let client = DraftBenchClient()
        let t = Task {
            _ = try? await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/v1/ws?access_token=\(token)", configuration: .init(maxFrameSize: 1 << 20), logger: logger) { inbound, outbound, _ in
                client.writer.withLock { $0 = outbound }
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    let now = Date()
                    guard case .text(let text) = message else { continue }
                    client.continuation.yield((now, text))
                }
            }
            client.writer.withLock { $0 = nil }
            client.continuation.finish()
        }
        client.task.withLock { $0 = t }
        let deadline = ContinuousClock.now + .seconds(10)
        while client.writer.withLock({ $0 }) == nil {
            guard ContinuousClock.now < deadline else { throw CommandError("the WebSocket did not open") }
            try await Task.sleep(for: .milliseconds(10))
        }
        return client
    }

    func send(_ text: String) async throws {
        guard let w = writer.withLock({ $0 }) else { throw CommandError("the WebSocket is closed") }
        try await w.write(.text(text))
    }

    func close() async {
        if let w = writer.withLock({ $0 }) { try? await w.close(.normalClosure, reason: nil) }
        await task.withLock { $0 }?.value
    }
}

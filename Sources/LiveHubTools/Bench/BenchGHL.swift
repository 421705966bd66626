import Foundation
import LiveHub
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// GHL's send endpoint for the benchmark (GHL cannot be reached from here): answers
/// `POST /conversations/messages` with GHL's success body after `latency`, and timestamps
/// each request's arrival by contact.
final class BenchGHL: Sendable {
    private let arrivals = Mutex<[String: ContinuousClock.Instant]>([:])
    private let counter = Atomic<Int>(0)
    let latency: Duration

    init(latency: Duration) { self.latency = latency }

    var received: [String: ContinuousClock.Instant] { arrivals.withLock { $0 } }
    func reset() { arrivals.withLock { $0.removeAll() } }

    /// Serves on 127.0.0.1:`port` until the task running it is cancelled.
    func run(port: Int) async throws {
        let router = Router()
        router.post("/conversations/messages") { request, _ in
            let now = ContinuousClock.now
            let bytes = try await request.body.collect(upTo: 1 << 16)
            let contact = (try? JSONDecoder().decode(GHLSendRequest.self, from: Data(buffer: bytes)))?.contactId ?? "?"
            self.arrivals.withLock { if $0[contact] == nil { $0[contact] = now } }
            if self.latency > .zero { try await Task.sleep(for: self.latency) }
            let n = self.counter.add(1, ordering: .relaxed).newValue
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"conversationId":"c","messageId":"bench-msg-\#(n)","msg":"Message queued successfully.","status":"pending"}"#)))
        }
        var logger = Logger(label: "bench-ghl")
        logger.logLevel = .critical
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger).runService()
    }
}

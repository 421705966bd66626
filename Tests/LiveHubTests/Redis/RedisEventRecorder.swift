import Synchronization
@testable import LiveHubRedis

/// Consumes a subscriber's events in the background and lets a test wait for a condition on
/// everything received so far (real sockets, so waits have deadlines rather than test clocks).
final class RedisEventRecorder: Sendable {
    struct Snapshot {
        var events: [RedisSubscriberEvent] = []
        var finished = false

        var messages: [(channel: String, payload: [UInt8])] {
            events.compactMap { event in
                if case .message(let channel, let payload) = event { return (channel, payload) }
                return nil
            }
        }

        func count(_ event: RedisSubscriberEvent) -> Int { events.filter { $0 == event }.count }

        var disconnections: Int {
            events.filter { if case .disconnected = $0 { true } else { false } }.count
        }
    }

    private let state = Mutex(Snapshot())

    init(_ stream: AsyncStream<RedisSubscriberEvent>) {
        Task { [self] in
            for await event in stream {
                state.withLock { $0.events.append(event) }
            }
            state.withLock { $0.finished = true }
        }
    }

    var snapshot: Snapshot { state.withLock { $0 } }

    /// Waits until `condition` holds (true) or the timeout passes (false).
    func waitUntil(timeout: Duration = .seconds(10), _ condition: (Snapshot) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(snapshot) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition(snapshot)
    }
}

import Synchronization

/// Live counts the metrics endpoint and the benchmark read.
final class GatewayCounters: Sendable {
    private let open = Atomic<Int>(0)

    var connections: Int { open.load(ordering: .relaxed) }

    func connectionOpened() { open.add(1, ordering: .relaxed) }
    func connectionClosed() { open.subtract(1, ordering: .relaxed) }
}

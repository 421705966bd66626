import AsyncHTTPClient
import LiveHub
import Synchronization

/// Shared state for the benchmark's concurrent tasks (Mutex and Atomic cannot be captured).
final class LockedBox<T: Sendable>: Sendable {
    private let value: Mutex<T>
    init(_ v: T) { value = Mutex(v) }
    func get() -> T { value.withLock { $0 } }
    func update(_ f: (inout T) -> Void) { value.withLock { f(&$0) } }
}

final class AtomicCount: Sendable {
    private let value = Atomic<Int>(0)
    func add(_ n: Int = 1) { value.add(n, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}

/// What every benchmark needs before its first line.
enum BenchSetup {
    /// Named in each benchmark's first line: a debug build's figures mean nothing.
    static var build: String {
        #if DEBUG
        "DEBUG build: figures are not representative, use swift run -c release"
        #else
        "release build"
        #endif
    }

    /// The load generator's client: enough connections per host for hundreds of requests in flight.
    static func client() -> HTTPClient {
        HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)))
    }
}

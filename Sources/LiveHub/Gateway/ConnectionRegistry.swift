import ServiceLifecycle
import Synchronization

/// The open WebSockets, so that shutdown can close each with 1001 (going away) before the HTTP
/// server's own shutdown closes them with 1000.
final class ConnectionRegistry: Sendable {
    typealias Closer = @Sendable () async -> Void
    private let open = Mutex<[ObjectIdentifier: Closer]>([:])

    var count: Int { open.withLock { $0.count } }

    func add(_ connection: Connection, closer: @escaping Closer) {
        open.withLock { $0[ObjectIdentifier(connection)] = closer }
    }

    func remove(_ connection: Connection) {
        open.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    /// Closes every connection and waits (up to `timeout`) for their handlers to finish.
    func closeAll(timeout: Duration = .seconds(5)) async {
        let closers = open.withLock { Array($0.values) }
        await withTaskGroup(of: Void.self) { group in
            for close in closers { group.addTask { await close() } }
        }
        let deadline = ContinuousClock.now + timeout
        while count > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// Runs beside the application and is shut down before it (services stop in reverse order):
/// closes the WebSockets with 1001, then lets the HTTP server finish its requests in flight.
struct WebSocketDrainService: Service {
    let registry: ConnectionRegistry

    func run() async throws {
        try? await gracefulShutdown()
        await registry.closeAll()
    }
}

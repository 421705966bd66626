import Foundation
import LiveHubTools
import Synchronization

/// The tests' PostgreSQL: one throwaway server (`LocalPostgres`, from the tools) shared by every
/// test of the process, each test in a database of its own (`makeDatabase()`).
typealias PostgresServer = LocalPostgres

extension LocalPostgres {
    /// The server every test of this process shares, started by the first that asks.
    static func shared() async throws -> LocalPostgres { try await SharedServer.instance.server() }
}

/// Holds the process-wide server: started once, on first use, and stopped at exit.
private actor SharedServer {
    static let instance = SharedServer()
    /// Read by the exit handler, which cannot reach into an actor.
    static let started = Mutex<LocalPostgres?>(nil)
    private var starting: Task<LocalPostgres, any Error>?

    func server() async throws -> LocalPostgres {
        if let starting { return try await starting.value }
        let task = Task {
            let server = try await LocalPostgres.start()
            Self.started.withLock { $0 = server }
            atexit { SharedServer.started.withLock { $0 }?.stop() }
            return server
        }
        starting = task
        do {
            return try await task.value
        } catch {
            starting = nil  // the next test tries again
            throw error
        }
    }
}

import Foundation
import LiveHubTools
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway `redis-server` for tests: its own free loopback port and its own temporary
/// directory, so tests can run in parallel. It can be stopped (SIGTERM), killed (SIGKILL) and
/// started again on the same port, to test outages; it is stopped and its directory removed
/// when the object goes away. Extra arguments (e.g. `["--requirepass", "secret"]`, or replication
/// settings for cluster tests) are appended to every start.
final class RedisServer: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let port: Int
    /// `redis://127.0.0.1:PORT`, for `RedisEndpoint(url:)`.
    var url: String { "redis://127.0.0.1:\(port)" }
    /// The server's working directory (holds `redis.log`).
    let directory: URL
    private let extraArguments: [String]
    /// The server process while one was started.
    private let child = Mutex<ChildProcess?>(nil)

    static let executable = "/usr/bin/redis-server"

    /// Starts a server and returns once it accepts connections.
    init(arguments: [String] = []) throws {
        port = try LoopbackPort.free()
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("livehub-redis-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        extraArguments = arguments
        try start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    var logFile: URL { directory.appendingPathComponent("redis.log") }

    /// Whether the process is alive (reaps it if it exited on its own).
    var isRunning: Bool { child.withLock { $0?.isRunning ?? false } }

    /// Starts the server (again) on the same port; does nothing if it is running.
    func start() throws {
        guard !isRunning else { return }
        // The log is appended to across restarts: only lines after this offset count as ready.
        let logOffset = log.utf8.count
        let arguments = [
            Self.executable, "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--dir", directory.path, "--logfile", logFile.path,
        ] + extraArguments
        let process = try ChildProcess(arguments)
        child.withLock { $0 = process }
        try waitUntilAccepting(logOffset: logOffset, timeout: .seconds(10))
    }

    /// SIGTERM, then waits for the process to exit.
    func stop() {
        signalAndReap(SIGTERM)
    }

    /// SIGKILL, then waits: an abrupt crash, no goodbye to clients.
    func kill() {
        signalAndReap(SIGKILL)
    }

    private func signalAndReap(_ signal: Int32) {
        child.withLock { $0 }?.signalAndReap(signal)
    }

    /// Waits until the log says ready and a TCP connection succeeds. The log check matters: the
    /// port was free when chosen, but another process could take it before redis-server binds.
    private func waitUntilAccepting(logOffset: Int, timeout: Duration) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard isRunning else {
                throw Failure(description: "redis-server on port \(port) exited: \(log.suffix(500))")
            }
            let newLog = String(decoding: log.utf8.dropFirst(logOffset), as: UTF8.self)
            if newLog.contains("Ready to accept connections"), LoopbackPort.accepts(port) { return }
            usleep(5_000)
        }
        throw Failure(description: "redis-server on port \(port) did not start within \(timeout)")
    }

    /// The server's log so far (empty if there is none yet).
    var log: String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }
}

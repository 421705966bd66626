import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL 15 for tests and the cluster benchmark: its own temporary directory, a free loopback port,
/// `fsync=on`, user `livehub` with trust authentication. Start one with `start()` and give each
/// user (a test, a benchmark) a fresh database with `makeDatabase()`. Stopped (`pg_ctl stop -m fast`, directory removed) by `stop()`, at
/// deinit, at process exit, and by a watchdog if the test process dies without exiting.
///
/// Debian's `postgresql` package provides the binaries. `initdb` refuses to run as root, so as
/// root the server runs as the `postgres` user (`runuser`).
package final class LocalPostgres: Sendable {
    package static let binaries = "/usr/lib/postgresql/15/bin"
    package static let user = "livehub"

    package let port: Int
    package let directory: String
    private let stopped = Mutex(false)

    private init(port: Int, directory: String) {
        self.port = port
        self.directory = directory
    }

    deinit { stop() }

    /// `postgres://livehub@127.0.0.1:PORT/database`.
    package func url(database: String) -> String { "postgres://\(Self.user)@127.0.0.1:\(port)/\(database)" }

    /// Creates a database of its own for a test; returns its URL.
    package func makeDatabase(prefix: String = "t") async throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        try await Self.run(Self.binaries + "/createdb", ["-h", "127.0.0.1", "-p", "\(port)", "-U", Self.user, name])
        return url(database: name)
    }

    /// Runs `psql -c sql` against `database` (for tests that inspect or change the database
    /// behind the code under test); returns the unaligned, tuples-only output.
    @discardableResult
    package func psql(database: String, _ sql: String) async throws -> String {
        try await Self.run(Self.binaries + "/psql", ["-h", "127.0.0.1", "-p", "\(port)", "-U", Self.user, "-d", database, "-v", "ON_ERROR_STOP=1", "-Atc", sql])
    }

    /// Stops the server and removes its directory (idempotent; blocks for up to a few seconds).
    package func stop() {
        guard !stopped.withLock({ s in defer { s = true }; return s }) else { return }
        _ = try? Self.runBlocking(Self.asPostgres(Self.binaries + "/pg_ctl", ["-D", directory + "/data", "stop", "-m", "fast"]))
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Starting

    /// Starts a new server (about a second: initdb, then pg_ctl start).
    package static func start() async throws -> LocalPostgres {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if getuid() == 0 { try await run("/bin/chown", ["postgres:postgres", directory]) }
        try await run(asPostgres(binaries + "/initdb", ["-D", directory + "/data", "-A", "trust", "-U", user, "-E", "UTF8", "--locale=C", "--no-sync"]))
        // A free port can be taken by someone else before the server binds it: try a few.
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try LoopbackPort.free()
            do {
                try await run(asPostgres(binaries + "/pg_ctl", [
                    "-D", directory + "/data", "-l", directory + "/log", "-w", "-t", "30",
                    "-o", "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=300",
                    "start",
                ]))
                let server = LocalPostgres(port: port, directory: directory)
                try server.watchdog()
                return server
            } catch {
                lastError = error
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
        throw lastError ?? ProcessError(command: "pg_ctl start", status: -1, output: "")
    }

    /// Stops the server if this process dies without stopping it (a crash, a kill): a detached
    /// shell polls the process and runs `pg_ctl stop` once it is gone.
    private func watchdog() throws {
        let pid = ProcessInfo.processInfo.processIdentifier
        let stop = Self.asPostgres(Self.binaries + "/pg_ctl", ["-D", directory + "/data", "stop", "-m", "fast"])
        // Only our own pid and generated paths go into the script.
        let script = "while kill -0 \(pid) 2>/dev/null; do sleep 1; done; \(([stop.0] + stop.1).joined(separator: " ")) >/dev/null 2>&1; rm -rf \(directory)"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        p.arguments = ["-f", "/bin/sh", "-c", script]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
    }

    private static func asPostgres(_ tool: String, _ arguments: [String]) -> (String, [String]) {
        getuid() == 0 ? ("/usr/sbin/runuser", ["-u", "postgres", "--", tool] + arguments) : (tool, arguments)
    }

    // MARK: Processes

    package struct ProcessError: Error, CustomStringConvertible {
        package let command: String
        package let status: Int32
        package let output: String
        package var description: String { "\(command) exited with \(status): \(output)" }
    }

    @discardableResult
    package static func run(_ tool: String, _ arguments: [String]) async throws -> String { try await run((tool, arguments)) }

    /// Runs a command without blocking a thread of the cooperative pool; its output, or an error
    /// with the output when it fails. Output goes to a file: a pipe nobody reads while the
    /// command runs could fill and stop it.
    @discardableResult
    package static func run(_ command: (String, [String])) async throws -> String {
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-pg-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        let child = try ChildProcess([command.0] + command.1, output: outPath)
        let status = await child.exitStatus()
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        guard status == 0 else { throw ProcessError(command: ([command.0] + command.1).joined(separator: " "), status: status, output: text) }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// For `stop()`, which may run in a deinit or at exit, where nothing can be awaited.
    private static func runBlocking(_ command: (String, [String])) throws {
        try ChildProcess([command.0] + command.1).waitBlocking()
    }
}

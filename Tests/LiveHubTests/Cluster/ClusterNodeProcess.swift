import AsyncHTTPClient
import Foundation
import LiveHubTools
import NIOCore

/// One `livehub serve` process of a test cluster, on a fixed loopback port, its output in a
/// log file of the test's directory (read when a test fails).
final class ClusterNodeProcess: Sendable {
    let id: String
    let port: Int
    let log: URL
    private let process: ChildProcess
    var pid: Int32 { process.pid }
    var url: String { "http://127.0.0.1:\(port)" }

    /// The `livehub` executable the tests run: built by `swift build` beside the test bundle.
    static let executable: URL = {
        if let explicit = ProcessInfo.processInfo.environment["LIVEHUB_TEST_BINARY"] { return URL(fileURLWithPath: explicit) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/livehub")
    }()

    init(id: String, port: Int, directory: URL, environment: [String: String]) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable.path) else {
            throw ClusterTestError("\(Self.executable.path) is missing: run swift build first (or set LIVEHUB_TEST_BINARY)")
        }
        self.id = id
        self.port = port
        log = directory.appendingPathComponent("\(id).log")
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LIVEHUB_") }
        env.merge(environment) { $1 }
        env["LIVEHUB_NODE_ID"] = id
        env["LIVEHUB_PORT"] = String(port)
        env["LIVEHUB_HOST"] = "127.0.0.1"
        env["LIVEHUB_DATA_DIR"] = directory.appendingPathComponent("data-\(id)").path
        process = try ChildProcess([Self.executable.path, "serve"], environment: env, output: log.path)
    }

    /// Waits until `/readyz` answers 200.
    func waitUntilReady(timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw ClusterTestError("node \(id) exited: \(tail())") }
            if let r = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/readyz"), timeout: .seconds(1)), r.status == .ok { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ClusterTestError("node \(id) not ready: \(tail())")
    }

    /// SIGKILL: the node dies at once, as a crashed machine would.
    func kill() { process.signalAndReap(SIGKILL) }

    func pause() { process.signal(SIGSTOP) }
    func resume() { process.signal(SIGCONT) }

    /// SIGTERM and wait: a graceful leave.
    func stop() { process.signalAndReap(SIGTERM) }

    var isRunning: Bool { process.isRunning }

    /// The end of the node's log, for failure messages.
    func tail(_ bytes: Int = 3_000) -> String {
        guard let data = try? Data(contentsOf: log) else { return "(no log)" }
        return String(decoding: data.suffix(bytes), as: UTF8.self)
    }
}

struct ClusterTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

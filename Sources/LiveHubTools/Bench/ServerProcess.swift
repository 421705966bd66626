import AsyncHTTPClient
import Foundation
import LiveHub

/// The server under test, as a child process of the benchmark (its RSS is its own).
struct ServerProcess {
    let process: Process
    let port: Int
    var pid: Int32 { process.processIdentifier }

    static func start(port: Int, dataDirectory: URL, environment extra: [String: String] = [:]) throws -> ServerProcess {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        p.arguments = ["serve", "--port", String(port), "--data-dir", dataDirectory.path, "--trust-dev-webhook-key", "--log-level", "error"]
        p.standardOutput = FileHandle.nullDevice
        var env = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        if let arenas = env["BENCH_MALLOC_ARENA_MAX"] { env["MALLOC_ARENA_MAX"] = arenas }
        p.environment = env
        try p.run()
        return ServerProcess(process: p, port: port)
    }

    static func waitUntilReady(port: Int) async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        for _ in 0..<200 {
            if let r = try? await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz"), timeout: .seconds(1)), r.status == .ok {
                try await client.shutdown()
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await client.shutdown()
        throw CommandError("the server did not become ready")
    }

    /// SIGTERM (a graceful shutdown) and wait for the exit.
    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    /// Resident set size in bytes, from /proc.
    static func rss(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kb * 1024
    }
}

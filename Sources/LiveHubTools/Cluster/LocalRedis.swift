import Foundation
import LiveHub

/// A throwaway `redis-server` for the cluster benchmark: a free loopback port, its own
/// directory, no persistence (the cluster keeps nothing in Redis). Debian's `redis-server`.
package final class LocalRedis: Sendable {
    package let port: Int
    package var url: String { "redis://127.0.0.1:\(port)" }
    private let process: ChildProcess
    private let directory: URL

    private init(port: Int, process: ChildProcess, directory: URL) {
        self.port = port
        self.process = process
        self.directory = directory
    }

    package static func start() throws -> LocalRedis {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try LoopbackPort.free()
        let p = try ChildProcess(["/usr/bin/redis-server", "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.path])
        let redis = LocalRedis(port: port, process: p, directory: directory)
        for _ in 0..<200 {
            if LoopbackPort.accepts(port) { return redis }
            usleep(10_000)
        }
        redis.stop()
        throw CommandError("redis-server did not start on port \(port) (apt-get install -y redis-server)")
    }

    package func stop() {
        process.signalAndReap(SIGTERM)
        try? FileManager.default.removeItem(at: directory)
    }
}

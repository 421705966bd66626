import Crypto
import Foundation
import LiveHub
import LiveHubSQLite
import Logging

/// A node for fuzzing: the real server on SQLite in a fresh temporary folder (in memory-backed
/// `/dev/shm` when there is one, so the durable commits cost no disk), trusting one Ed25519 key
/// that the harness signs with.
package struct FuzzNode: Sendable {
    package let driver: InputDriver
    package let key: Curve25519.Signing.PrivateKey

    package static func start() -> FuzzNode {
        FuzzDriver.blocking {
            do {
                let base = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
                let dir = base.appendingPathComponent("livehub-fuzz-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                let key = Curve25519.Signing.PrivateKey()
                let keyFile = dir.appendingPathComponent("key.pem")
                try Data(key.publicKey.pemRepresentation.utf8).write(to: keyFile)
                var config = ServerConfiguration()
                config.dataDirectory = dir.path
                config.ghlPublicKeyFiles = [keyFile.path]
                config.jwtSecret = String(repeating: "f", count: 40)
                // Seeds keep their timestamps: none may go stale, or they would stop at the replay check.
                config.replayWindow = .seconds(100 * 365 * 86_400)
                var logger = Logger(label: "fuzz")
                logger.logLevel = .critical
                let storage = try SQLiteStorage(directory: dir)
                let (server, _) = try await LiveHubServer.open(config, storage: storage.ports, logger: logger)
                return FuzzNode(driver: InputDriver(server: server), key: key)
            } catch {
                FileHandle.standardError.write(Data("fuzz node did not start: \(error)\n".utf8))
                exit(2)
            }
        }
    }
}

import ArgumentParser
import Foundation
import LiveHub
import LiveHubPostgres
import LiveHubTools
import Logging

/// `livehub migrate`: brings a cluster's PostgreSQL schema up to date without starting a node,
/// for operators who run migrations as their own step (every node also runs them at start-up,
/// safely when several start at once).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply the cluster database's schema migrations (LIVEHUB_DATABASE_URL).")

    func run() async throws {
        guard let url = ProcessInfo.processInfo.environment["LIVEHUB_DATABASE_URL"], !url.isEmpty else {
            throw CommandError("set LIVEHUB_DATABASE_URL to the cluster's postgres:// URL (the embedded SQLite migrates itself at start-up)")
        }
        LogSetup.bootstrap(level: .info, format: .text)
        do {
            try await PostgresStorage.migrate(url: url, logger: Logger(label: "livehub.migrate"))
        } catch {
            throw CommandError("migration failed: \(error)")
        }
        print("schema up to date")
    }
}

import ArgumentParser
import LiveHubTools

/// The `livehub` command line: the thin place where the server core meets its adapters
/// (`serve`: SQLite, or PostgreSQL and Redis in a cluster; `migrate`), plus the tools.
@main
struct LiveHubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "livehub",
        abstract: "Real-time conversation coaching for real-estate teams on GoHighLevel.",
        subcommands: [ServeCommand.self, MigrateCommand.self, TokenCommand.self, LoginLinkCommand.self, WebhookCommand.self, AnalyzeCommand.self, EvalCommand.self, TrainCommand.self, BenchCommand.self]
    )
}

import ArgumentParser

/// The `livehub` command line.
@main
struct LiveHubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "livehub",
        abstract: "Real-time conversation coaching for real-estate teams on GoHighLevel.",
        subcommands: [ServeCommand.self, TokenCommand.self, WebhookCommand.self, AnalyzeCommand.self, EvalCommand.self, TrainCommand.self, BenchCommand.self]
    )
}

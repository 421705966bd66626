import ArgumentParser

/// The `livehub` command line.
@main
struct LiveHubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "livehub",
        abstract: "Real-time conversation coaching for real-estate teams on GoHighLevel.",
        subcommands: [AnalyzeCommand.self, EvalCommand.self, TrainCommand.self]
    )
}

import ArgumentParser
import Coaching
import Foundation

/// `livehub analyze`: prints the analysis of messages as JSON, for people tuning playbooks.
package struct AnalyzeCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse messages and print the analysis as JSON.",
        discussion: """
            With a message argument, prints one JSON object. With --file (or no argument and text on
            standard input), reads one message per line — plain text, or JSON objects with a "text"
            field — and prints one JSON line per message.
            """
    )

    package init() {}

    @Argument(help: "The message to analyse.") var message: String?
    @Option(name: .long, help: "A file of messages, one per line (plain text or JSONL with \"text\").") var file: String?
    @Option(name: .long, help: "Who speaks: lead or agent.") var speaker: String = "lead"
    @Option(name: .long, help: "Listing price, so bare numbers like 415 can be read as prices.") var listingPrice: Double?
    @Flag(name: .long, help: "Also print lead score, cards and suggested replies for the message(s) as one conversation.") var coach = false

    package func run() throws {
        guard let who = AnalysisContext.Speaker(rawValue: speaker) else { throw ValidationError("--speaker must be lead or agent") }
        let engine = try CoachingEngine.bundled()
        let listing = listingPrice.map { Listing(price: $0) }
        var session = CoachingSession(reply: ReplyContext(listing: listing), represented: listing == nil ? nil : .seller)
        let lines: [String]
        if let message {
            lines = [message]
        } else if let file {
            lines = Self.messages(String(decoding: try readFile(file), as: UTF8.self))
        } else {
            lines = Self.messages(String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self))
        }
        let single = message != nil
        for (i, text) in lines.enumerated() {
            if coach {
                let step = engine.step(&session, text: text, speaker: who, at: Double(i) * 60)
                try JSONOutput.print(step, pretty: single)
            } else {
                let context = AnalysisContext(speaker: who, listing: listing)
                try JSONOutput.print(engine.analyzer.analyze(text, context: context), pretty: single)
            }
        }
    }

    /// One message per non-empty line; JSON lines contribute their "text" field.
    static func messages(_ input: String) -> [String] {
        struct Line: Decodable { let text: String }
        return input.split(separator: "\n").compactMap { raw in
            let line = String(raw)
            if line.trimmingCharacters(in: .whitespaces).isEmpty { return nil }
            if line.hasPrefix("{"), let parsed = try? JSONDecoder().decode(Line.self, from: Data(line.utf8)) { return parsed.text }
            return line
        }
    }
}

import ArgumentParser
import Coaching
import Foundation

/// `livehub eval`: measures the shipped model and rules on any file of the right shape.
/// Evaluating a file never fits anything on it.
package struct EvalCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate the coaching engine and print the figures.",
        subcommands: [All.self, Intents.self, Negotiation.self],
        defaultSubcommand: All.self
    )

    package init() {}

    /// `livehub eval` alone: every evaluation on the shipped fixtures and the shared data.
    struct All: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run every evaluation with its default data (the default).")

        func run() throws {
            // The training fixtures are reported cross-validated: the shipped model has seen them.
            try Intents.parse(["--data", "Fixtures/coaching/messages.jsonl", "--folds", "5"]).run()
            print("")
            for data in ["Fixtures/coaching/dev.jsonl", "Fixtures/coaching/holdout.jsonl"] {
                try Intents.parse(["--data", data]).run()
                print("")
            }
            let bargain = "../shared/data/craigslistbargain/dev.json"
            guard FileManager.default.fileExists(atPath: bargain) else {
                print("negotiation: skipped, \(bargain) is absent")
                return
            }
            try Negotiation.parse(["--data", bargain]).run()
        }
    }

    struct Intents: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Intent accuracy, macro-F1, confusion table and opt-out figures on a JSONL file of {text, intent, objection?}.")

        @Option(name: .long, help: "JSONL file of labelled messages.") var data: String = "Fixtures/coaching/messages.jsonl"
        @Flag(name: .long, help: "Print the figures as one JSON object.") var json = false
        @Flag(name: .long, help: "List every misclassified message.") var errors = false
        @Option(name: .long, help: "Instead of the shipped model, report k-fold cross-validation (refit per fold, for measurement only): for the file the model was trained on.") var folds = 0

        func run() throws {
            let examples = try IntentExample.parseLines(try readFile(data))
            let report: IntentReport
            let title: String
            if folds > 1 {
                report = IntentEvaluation.crossValidate(examples, folds: folds)
                title = "intent evaluation on \(data): \(folds)-fold cross-validation (refit per fold, for measurement only)"
            } else {
                report = IntentEvaluation.evaluate(examples, analyzer: MessageAnalyzer(model: try BundledResources.intentModel()))
                title = "intent evaluation of the shipped model, as it is, on \(data)"
            }
            if json {
                try JSONOutput.print(report, pretty: false)
            } else {
                print(title)
                print(ReportFormatter.intents(report, showErrors: errors))
            }
        }
    }

    struct Negotiation: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Settlement MAE and deal AUC on a CraigslistBargain-format file, with baselines.")

        @Option(name: .long, help: "CraigslistBargain JSON file.") var data: String = "../shared/data/craigslistbargain/dev.json"
        @Option(name: .long, help: "Folds for the cross-validated figures (grouped by post_id); 0 skips them.") var folds = 5
        @Option(name: .long, help: "Also repeat the cross-validation over this many other draws of folds and print the figures' spread; 0 skips it.") var seeds = 0
        @Flag(name: .long, help: "Print the figures as one JSON object.") var json = false

        func run() throws {
            let dialogues = try BargainDialogue.load(try readFile(data))
            let model = try BundledResources.negotiationModel()
            let shipped = NegotiationEvaluation.evaluate(dialogues, model: model)
            let crossValidated = folds > 1 ? NegotiationEvaluation.crossValidate(dialogues, folds: folds) : nil
            let spread = folds > 1 && seeds > 0 ? NegotiationEvaluation.crossValidationSpread(dialogues, folds: folds, seeds: seeds) : nil
            if json {
                struct Out: Encodable {
                    let shipped: NegotiationReport
                    let crossValidated: NegotiationReport?
                    let spread: NegotiationSpread?
                    let modelTrainedOn: String
                }
                try JSONOutput.print(Out(shipped: shipped, crossValidated: crossValidated, spread: spread, modelTrainedOn: model.trainedOn), pretty: false)
            } else {
                print("negotiation evaluation on \(data)")
                print(ReportFormatter.negotiation("shipped model (trained on \(model.trainedOn))", shipped))
                if let crossValidated {
                    print(ReportFormatter.negotiation("\(folds)-fold cross-validation by post_id (refit per fold, for measurement only)", crossValidated))
                }
                if let spread {
                    print(ReportFormatter.negotiationSpread("same, over \(spread.dealAUC.runs) other draws of folds", spread))
                }
            }
        }
    }
}

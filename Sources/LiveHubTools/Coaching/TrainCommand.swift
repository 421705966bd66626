import ArgumentParser
import Coaching
import Foundation

/// `livehub train`: regenerates the committed model resources from data, and prints the
/// cross-validated figures that honestly describe them.
package struct TrainCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the intent or negotiation model and write it as a resource.",
        subcommands: [Intents.self, Negotiation.self]
    )

    package init() {}

    struct Intents: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Train the intent model on labelled JSONL messages.")

        @Option(name: .long, help: "JSONL training file.") var data: String = "Fixtures/coaching/messages.jsonl"
        @Option(name: .long, help: "Where to write the model.") var output: String = "Sources/Coaching/Resources/intent-model.json"
        @Option(name: .long, help: "Cross-validation folds to report before training on everything; 0 skips.") var folds = 5
        @Flag(name: .long, help: "List the messages cross-validation got wrong.") var errors = false
        @Option(name: .long, help: "Training passes over the data.") var epochs: Int?
        @Option(name: .long, help: "L2 regularisation strength.") var l2: Float?
        @Option(name: .long, help: "AdaGrad learning rate.") var learningRate: Float?
        @Flag(name: .long, help: "Only report cross-validation; write no model.") var dryRun = false

        func run() throws {
            let examples = try IntentExample.parseLines(try readFile(data))
            var trainer = IntentTrainer()
            if let epochs { trainer.epochs = epochs }
            if let l2 { trainer.l2 = l2 }
            if let learningRate { trainer.learningRate = learningRate }
            if folds > 1 {
                let cv = IntentEvaluation.crossValidate(examples, folds: folds, trainer: trainer)
                print("\(folds)-fold cross-validation on \(examples.count) messages:")
                print(ReportFormatter.intents(cv, showErrors: errors))
            }
            if dryRun { return }
            var names: [UInt64: String] = [:]
            let training = examples.map { e in
                let v = IntentFeatures.vector(MessageAnalyzer.intentInput(MessageText(e.text), context: AnalysisContext()), recordNames: true)
                names.merge(v.names ?? [:]) { a, _ in a }
                return IntentTrainer.Example(features: v, intent: e.intent)
            }
            let provenance = IntentModel.Provenance(
                command: "swift run livehub train intents --data \(data)", trainedOn: data, examples: examples.count, epochs: trainer.epochs, l2: Double(trainer.l2))
            let model = trainer.train(training, provenance: provenance)
            try model.json(names: names).write(to: URL(fileURLWithPath: output))
            print("wrote \(output)")
        }
    }

    struct Negotiation: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fit the settlement and deal models on CraigslistBargain dialogues.")

        @Option(name: .long, help: "CraigslistBargain JSON file.") var data: String = "../shared/data/craigslistbargain/dev.json"
        @Option(name: .long, help: "Where to write the model.") var output: String = "Sources/Coaching/Resources/negotiation-model.json"

        func run() throws {
            let dialogues = try BargainDialogue.load(try readFile(data))
            if let cv = NegotiationEvaluation.crossValidate(dialogues, folds: 5) {
                print(ReportFormatter.negotiation("5-fold cross-validation by post_id", cv))
            }
            let examples = NegotiationEvaluation.checkpoints(dialogues).map(\.example)
            let name = URL(fileURLWithPath: data).lastPathComponent
            guard let model = NegotiationModelFitter.fit(examples, command: "swift run livehub train negotiation --data \(data)", trainedOn: "CraigslistBargain \(name) (\(examples.count) checkpoints)") else {
                throw CommandError("the fit did not converge")
            }
            try model.json().write(to: URL(fileURLWithPath: output))
            print("wrote \(output)")
        }
    }
}

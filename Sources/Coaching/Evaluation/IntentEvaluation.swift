/// Accuracy, macro-F1, a confusion table and the opt-out figures for a labelled set.
public struct IntentReport: Sendable, Codable {
    public struct PerIntent: Sendable, Codable {
        public let intent: Intent
        public let support: Int
        public let precision: Double
        public let recall: Double
        public let f1: Double
    }

    public let messages: Int
    public let accuracy: Double
    public let macroF1: Double
    public let perIntent: [PerIntent]
    /// `confusion[truth][predicted]`, both keyed by intent name.
    public let confusion: [String: [String: Int]]
    public let optOutPrecision: Double
    public let optOutRecall: Double
    /// Messages wrongly flagged opt-out, over all messages that are not opt-outs.
    public let optOutFalsePositiveRate: Double
    /// Of the labelled objections, the share found.
    public let objectionRecall: Double
    public let errors: [Miss]

    public struct Miss: Sendable, Codable {
        public let text: String
        public let expected: Intent
        public let predicted: Intent
    }
}

public enum IntentEvaluation {
    /// Scores predictions against labels; `predict` returns intent and detected objections.
    public static func evaluate(_ examples: [IntentExample], predict: (String) -> (Intent, [Objection], optOut: Bool)) -> IntentReport {
        var confusion: [Intent: [Intent: Int]] = [:]
        var correct = 0
        var optTP = 0, optFP = 0, optFN = 0, nonOpt = 0
        var objectionsFound = 0, objectionsTotal = 0
        var misses: [IntentReport.Miss] = []
        for e in examples {
            let (predicted, objections, optOut) = predict(e.text)
            confusion[e.intent, default: [:]][predicted, default: 0] += 1
            if predicted == e.intent { correct += 1 } else { misses.append(.init(text: e.text, expected: e.intent, predicted: predicted)) }
            let isOpt = e.intent == .optOut
            if isOpt { if optOut { optTP += 1 } else { optFN += 1 } } else {
                nonOpt += 1
                if optOut { optFP += 1 }
            }
            objectionsTotal += e.objections.count
            objectionsFound += e.objections.filter(objections.contains).count
        }
        var per: [IntentReport.PerIntent] = []
        for intent in Intent.allCases {
            let tp = confusion[intent]?[intent] ?? 0
            let support = confusion[intent]?.values.reduce(0, +) ?? 0
            let predictedCount = confusion.values.reduce(0) { $0 + ($1[intent] ?? 0) }
            guard support > 0 || predictedCount > 0 else { continue }
            let p = predictedCount == 0 ? 0 : Double(tp) / Double(predictedCount)
            let r = support == 0 ? 0 : Double(tp) / Double(support)
            per.append(.init(intent: intent, support: support, precision: p, recall: r, f1: p + r == 0 ? 0 : 2 * p * r / (p + r)))
        }
        let withSupport = per.filter { $0.support > 0 }
        return IntentReport(
            messages: examples.count,
            accuracy: examples.isEmpty ? 0 : Double(correct) / Double(examples.count),
            macroF1: withSupport.isEmpty ? 0 : withSupport.map(\.f1).reduce(0, +) / Double(withSupport.count),
            perIntent: per,
            confusion: Dictionary(uniqueKeysWithValues: confusion.map { ($0.key.rawValue, Dictionary(uniqueKeysWithValues: $0.value.map { ($0.key.rawValue, $0.value) })) }),
            optOutPrecision: optTP + optFP == 0 ? 1 : Double(optTP) / Double(optTP + optFP),
            optOutRecall: optTP + optFN == 0 ? 1 : Double(optTP) / Double(optTP + optFN),
            optOutFalsePositiveRate: nonOpt == 0 ? 0 : Double(optFP) / Double(nonOpt),
            objectionRecall: objectionsTotal == 0 ? 1 : Double(objectionsFound) / Double(objectionsTotal),
            errors: misses)
    }

    /// Evaluates a trained analyzer as it is.
    public static func evaluate(_ examples: [IntentExample], analyzer: MessageAnalyzer) -> IntentReport {
        evaluate(examples) { text in
            let a = analyzer.analyze(text)
            return (a.intent.intent, a.objections.map(\.objection), a.isOptOut)
        }
    }

    /// k-fold cross-validation: each fold is predicted by a model trained on the other folds.
    /// Folds are assigned round-robin over a seeded shuffle, so the figure is reproducible.
    public static func crossValidate(_ examples: [IntentExample], folds: Int = 5, trainer: IntentTrainer = IntentTrainer()) -> IntentReport {
        let inputs = examples.map { MessageAnalyzer.intentInput(MessageText($0.text), context: AnalysisContext()) }
        let vectors = inputs.map { IntentFeatures.vector($0) }
        var order = Array(examples.indices)
        var rng = SplitMix64(seed: 7)
        order.shuffle(using: &rng)
        var fold = [Int](repeating: 0, count: examples.count)
        for (k, i) in order.enumerated() { fold[i] = k % folds }
        var predictions = [(Intent, [Objection], Bool)](repeating: (.other, [], false), count: examples.count)
        for f in 0..<folds {
            let train = examples.indices.filter { fold[$0] != f }.map { IntentTrainer.Example(features: vectors[$0], intent: examples[$0].intent) }
            let model = trainer.train(train, provenance: .init(command: "cross-validation", trainedOn: "fold", examples: 0, epochs: 0, l2: 0))
            let analyzer = MessageAnalyzer(model: model)
            for i in examples.indices where fold[i] == f {
                let a = analyzer.analyze(examples[i].text)
                predictions[i] = (a.intent.intent, a.objections.map(\.objection), a.isOptOut)
            }
        }
        var index = 0
        return evaluate(examples) { _ in
            defer { index += 1 }
            return predictions[index]
        }
    }
}

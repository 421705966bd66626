/// Shared state of one extraction pass: the tokens, which of them a recogniser has already
/// claimed (so "3 bed" is never read again as money), and the entities found so far.
struct ExtractionState {
    let tokens: [Token]
    let context: AnalysisContext
    var claimed: [Bool]
    var entities = Entities()
    /// Token index where each of `entities.money` starts, for recognisers that read money by position.
    var moneyStarts: [Int] = []

    init(tokens: [Token], context: AnalysisContext) {
        self.tokens = tokens
        self.context = context
        self.claimed = Array(repeating: false, count: tokens.count)
    }

    mutating func claim(_ start: Int, _ end: Int) {
        for i in start..<min(end, tokens.count) { claimed[i] = true }
    }

    func isFree(_ start: Int, _ end: Int) -> Bool {
        guard end <= tokens.count else { return false }
        for i in start..<end where claimed[i] { return false }
        return true
    }
}

/// Runs the recognisers in an order that resolves conflicts between them: contacts first
/// (digit runs), then dates and times, then quantities that are not money (rooms, sizes,
/// percentages), then money, then financing which reads the money found.
public enum EntityExtractor {
    public static func extract(_ tokens: [Token], context: AnalysisContext) -> Entities {
        run(tokens, context: context).entities
    }

    /// The full pass, keeping the token positions recognisers recorded (the negotiation reads
    /// where each price sits to skip discounts like "$20 off").
    static func run(_ tokens: [Token], context: AnalysisContext) -> ExtractionState {
        var state = ExtractionState(tokens: tokens, context: context)
        ContactRecognizer.run(&state)
        DateRecognizer.run(&state)
        QuantityRecognizer.run(&state)
        MoneyRecognizer.run(&state)
        FinancingRecognizer.run(&state)
        return state
    }
}

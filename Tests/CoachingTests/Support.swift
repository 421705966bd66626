import Coaching
import Foundation

/// Shared fixtures for the Coaching tests: the bundled engine, loaded once.
enum Support {
    static let engine: CoachingEngine = {
        do { return try CoachingEngine.bundled() } catch { preconditionFailure("bundled engine failed to load: \(error)") }
    }()
    static var analyzer: MessageAnalyzer { engine.analyzer }

    static func analyze(_ text: String, listingPrice: Double? = nil, speaker: AnalysisContext.Speaker = .lead) -> MessageAnalysis {
        analyzer.analyze(text, context: AnalysisContext(speaker: speaker, listing: listingPrice.map { Listing(price: $0) }))
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func fixture(_ path: String) throws -> Data { try Data(contentsOf: root.appendingPathComponent(path)) }
    static let bargainPath = root.appendingPathComponent("../shared/data/craigslistbargain/dev.json").standardizedFileURL.path
}

import Foundation

/// The model and playbooks that ship inside the package.
///
/// This is the one place the library touches files: it reads its own read-only resources once,
/// at first use. Everything else in Coaching is pure.
public enum BundledResources {
    public static func intentModel() throws -> IntentModel {
        try IntentModel(json: data("intent-model"))
    }

    public static func negotiationModel() throws -> NegotiationModel {
        try NegotiationModel(json: data("negotiation-model"))
    }

    public static func playbooks() throws -> PlaybookSet {
        try PlaybookSet(json: data("playbooks"))
    }

    static func data(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json") else {
            throw IntentModelError.unreadable("resource \(name).json is missing from the Coaching bundle")
        }
        return try Data(contentsOf: url)
    }
}

import Synchronization

/// Where a conversation finds its location's auto-responder settings. Synchronous on purpose:
/// the actor reads them while applying an input, where it must not suspend (see
/// `ConversationActor` on ordering).
public protocol AutoResponderSettingsSource: Sendable {
    func settings(for location: String) -> AutoResponderSettings
}

extension AutoResponderSettingsSource {
    /// The mode in force in a conversation: its own, else its location's.
    public func mode(of state: ConversationState) -> ConversationMode {
        state.modeOverride ?? settings(for: state.locationId).mode
    }

    /// What clients see of a conversation, with the mode in force.
    public func summary(of state: ConversationState) -> ConversationSummary {
        let mode = mode(of: state)
        var summary = state.summary(mode: mode)
        if mode == .auto, let last = state.lastHumanAt { summary.aiPausedUntil = last + settings(for: state.locationId).humanFloorSeconds }
        return summary
    }
}

/// Settings held in memory, replaced whole on change.
public final class SettingsRegistry: AutoResponderSettingsSource {
    private let byLocation: Mutex<[String: AutoResponderSettings]>
    private let fallback: AutoResponderSettings

    public init(_ initial: [String: AutoResponderSettings] = [:], fallback: AutoResponderSettings = AutoResponderSettings()) {
        byLocation = Mutex(initial)
        self.fallback = fallback
    }

    public func settings(for location: String) -> AutoResponderSettings {
        byLocation.withLock { $0[location] } ?? fallback
    }

    public func set(_ s: AutoResponderSettings, for location: String) {
        byLocation.withLock { $0[location] = s }
    }
}

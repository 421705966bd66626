import Synchronization

/// Whether a conversation's actor may take inputs, readable without a hop onto the actor.
///
/// Passivation retires an idle actor only while no input is inside it, atomically with that
/// check; an input that reaches a retired actor is refused with `ConversationError.retired` and
/// its caller asks the directory again, which hands out the one live actor. So at most one
/// actor per conversation ever commits, and a retired actor's timers fire into a refusal.
public final class ActorLease: Sendable {
    private struct State {
        var busy = 0
        var retired = false
        var broken = false
        /// The earliest scheduled work of the conversation (epoch seconds).
        var nextDue: Double?
    }
    private let state = Mutex(State())

    public init() {}

    /// A commit failed: the actor's memory is ahead of storage and it must be reloaded.
    public var isBroken: Bool { state.withLock { $0.broken } }
    /// The actor can take inputs.
    public var isUsable: Bool { state.withLock { !$0.retired && !$0.broken } }

    /// Admits one input, or says why not.
    func enter(_ conversationId: String) throws(ConversationError) {
        try state.withLock { (s: inout State) throws(ConversationError) in
            if s.broken { throw .broken(conversationId) }
            if s.retired { throw .retired(conversationId) }
            s.busy += 1
        }
    }

    func leave() { state.withLock { $0.busy -= 1 } }
    func markBroken() { state.withLock { $0.broken = true } }
    func setNextDue(_ t: Double?) { state.withLock { $0.nextDue = t } }

    /// Retires the actor if no input is inside it and none of its work falls due before
    /// `keepIfDueBefore` (work due later is re-armed by whoever loads the conversation then).
    /// True when retired: from now on it refuses every input.
    func retireIfIdle(keepIfDueBefore: Double = -.infinity) -> Bool {
        state.withLock { s in
            guard s.busy == 0, !s.retired else { return false }
            if let due = s.nextDue, due < keepIfDueBefore { return false }
            s.retired = true
            return true
        }
    }
}

import Coaching
import Foundation
import Synchronization

/// Owns one GHL conversation: its state, its coaching session, its scheduled work and its
/// ordered event stream.
///
/// **Ordering.** `submit` does all of its work on the actor's state — coaching, new state,
/// sequence numbers, scheduled work — synchronously, with no suspension point, so two inputs can
/// never interleave: they are applied in the order their calls reach the actor. Only then does it
/// suspend, on the commit. Because an actor is re-entrant at that `await`, later inputs are
/// applied while an earlier one is still committing: their commits queue behind it, and when it
/// is durable everything queued meanwhile goes to the store as one batch, in order, in one
/// transaction (`ConversationStore.commit(_:)` with several commits). A busy conversation thus
/// needs one durable commit per batch, not one per input, and storage and subscribers see the
/// inputs in the order they were applied; events are published only after their own commit.
/// If a commit fails, the actor is marked broken (its memory is ahead of storage): every later
/// commit fails too, the callers get an error (GHL retries the webhook), and the directory
/// replaces the actor with one rehydrated from storage. So `seq` in storage never has a gap.
///
/// **Failures while applying.** If an input cannot be turned into events (a payload with no
/// JSON form), the state is restored as it was, nothing is committed, and the caller gets
/// `ConversationError.unencodable`.
///
/// **Scheduled work** (the SLA check, a held automatic reply) is part of the commit that
/// schedules it; its timer is armed only once that commit is durable, and the commit that
/// carries the work out also removes it (see `ScheduledItem`).
public actor ConversationActor {
    public nonisolated let conversationId: String
    /// The location never changes for a conversation; a cluster shards by it.
    public nonisolated let locationId: String
    /// Who may still submit: passivation retires the actor here, atomically with its idleness.
    public nonisolated let lease = ActorLease()
    /// Whether any event was ever applied: read without a hop by the webhook path, which gives a
    /// conversation seen for the first time what is known of its contact.
    private nonisolated let applied: Atomic<Bool>
    public nonisolated var hasEvents: Bool { applied.load(ordering: .relaxed) }
    let engine: CoachingEngine
    private let store: any ConversationStore
    private let publisher: any EventPublisher
    private let clock: any Clock<Duration>
    let slaTarget: Duration
    let autoSettings: any AutoResponderSettingsSource
    /// Where call transcripts come from; nil when calls are not transcribed.
    let calls: (any CallTranscriptSource)?
    let transcripts: TranscriptPolicy

    var state: ConversationState
    var session: CoachingSession
    /// The conversation's scheduled work as applied (it may still be committing).
    var scheduled: [ScheduledItem.Kind: ScheduledItem] = [:]
    /// The last lead message's coaching, for the SLA-breach trigger; rebuilt on rehydration.
    var lastLeadStep: (analysis: MessageAnalysis, replies: [SuggestedReply])?
    /// What applying the current input produced beside its events; taken into its commit.
    var producedOutbox: OutboxWrite?
    var producedSchedule: [ScheduleChange] = []

    private var timers: [ScheduledItem.Kind: (token: UInt64, task: Task<Void, Never>)] = [:]
    /// Commits applied but not yet handed to the store, in the order they were applied, each
    /// with its waiting caller.
    private var queued: [(commit: ConversationCommit, done: CheckedContinuation<Void, any Error>)] = []
    /// Whether a commit is on its way to the store; later inputs queue behind it.
    private var committing = false
    /// `drain` callers, resumed when nothing is on its way any more.
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []

    public init(
        state: ConversationState, history: [ConversationEvent] = [], scheduled: [ScheduledItem] = [], engine: CoachingEngine,
        store: any ConversationStore, publisher: any EventPublisher, timers: any Clock<Duration>, slaTarget: Duration,
        autoSettings: any AutoResponderSettingsSource = SettingsRegistry(), calls: (any CallTranscriptSource)? = nil,
        transcripts: TranscriptPolicy = TranscriptPolicy()
    ) {
        self.calls = calls
        self.transcripts = transcripts
        self.conversationId = state.conversationId
        self.locationId = state.locationId
        self.applied = Atomic(state.head > 0)
        self.state = state
        self.engine = engine
        self.store = store
        self.publisher = publisher
        self.clock = timers
        self.slaTarget = slaTarget
        self.autoSettings = autoSettings
        // No side: prices feed the conversation's negotiation session (`NegotiationActor`),
        // which owns the offers and the advice; the conversation only detects that prices are
        // discussed.
        self.session = CoachingSession(represented: nil)
        if let price = state.listingPrice { session.reply.listing = Listing(price: price) }
        self.scheduled = Dictionary(scheduled.map { ($0.kind, $0) }, uniquingKeysWith: { $1 })
        self.lastLeadStep = Self.replay(history, into: &session, engine: engine)
        lease.setNextDue(scheduled.map(\.dueAt).min())
    }

    /// Rebuilds the coaching session from stored messages: the engine is deterministic, so the
    /// same messages give the same session (and the same last lead step).
    private static func replay(_ history: [ConversationEvent], into session: inout CoachingSession, engine: CoachingEngine) -> (MessageAnalysis, [SuggestedReply])? {
        var last: (MessageAnalysis, [SuggestedReply])?
        for event in history {
            guard let message = try? event.decode(MessagePayload.self), !message.text.isEmpty else { continue }
            let lead = event.kind == .messageInbound
            let step = engine.step(&session, text: message.text, speaker: lead ? .lead : .agent, at: event.at)
            if lead { last = (step.analysis, step.replies) }
        }
        return last
    }

    public var head: UInt64 { state.head }
    public var currentState: ConversationState { state }
    public var currentSummary: ConversationSummary { autoSettings.summary(of: state) }
    /// The conversation's own mode, else its location's.
    var effectiveMode: ConversationMode { autoSettings.mode(of: state) }

    /// Applies an input, commits its events (with the webhook receipt, if any) and publishes
    /// them. Returns the events once they are durable.
    @discardableResult
    public func submit(_ input: ConversationInput, receipt: WebhookReceipt? = nil) async throws -> [ConversationEvent] {
        try lease.enter(conversationId)
        defer { lease.leave() }
        guard let commit = try prepare(input, receipt: receipt) else { return [] }
        do {
            if committing {
                try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in queued.append((commit, done)) }
            } else {
                // Nothing on its way: this caller commits its own input, without a task; what
                // queues meanwhile is committed by a task after it.
                committing = true
                let error = await commitBatch([commit]).first ?? nil
                if queued.isEmpty { finishCommitting() } else { Task { await self.flush() } }
                if let error { throw error }
            }
        } catch {
            lease.markBroken()
            cancelTimers()
            throw error
        }
        arm(commit.schedule, from: input.at)
        return commit.events
    }

    /// Commits what is queued, batch after batch, until nothing is.
    private func flush() async {
        while !queued.isEmpty {
            let batch = queued
            queued.removeAll(keepingCapacity: true)
            let errors = await commitBatch(batch.map(\.commit))
            for (entry, error) in zip(batch, errors) {
                if let error { entry.done.resume(throwing: error) } else { entry.done.resume() }
            }
        }
        finishCommitting()
    }

    private func finishCommitting() {
        committing = false
        for waiter in drainWaiters { waiter.resume() }
        drainWaiters = []
    }

    /// Stores `batch` and publishes what became durable, in order. Runs on the actor, suspending
    /// only on the store and the publisher, so inputs applied meanwhile queue for the next batch.
    /// Returns each input's error, nil for those stored: the store's error for the input at
    /// fault; `broken` for those after it (nothing of theirs was stored: to their callers it is as
    /// if the actor had been broken before they came, and so worth trying on a reloaded actor).
    private func commitBatch(_ batch: [ConversationCommit]) async -> [(any Error)?] {
        let outcome = await persist(batch)
        var errors: [(any Error)?] = []
        errors.reserveCapacity(batch.count)
        for (i, commit) in batch.enumerated() {
            if i < outcome.committed {
                await publisher.publish(commit)
                errors.append(nil)
            } else if i == outcome.committed, let error = outcome.error {
                errors.append(error)
            } else {
                errors.append(ConversationError.broken(conversationId))
            }
        }
        return errors
    }

    /// Stores `commits` in order: together in one transaction, or — should that fail — one by one
    /// up to the first that fails, so only the input at fault gets the store's error. Returns how
    /// many are durable and the error that stopped the rest.
    private func persist(_ commits: [ConversationCommit]) async -> (committed: Int, error: (any Error)?) {
        // A failed commit marks the lease broken at once: nothing later may reach the store.
        guard !lease.isBroken else { return (0, nil) }
        do {
            try await store.commit(commits)
            return (commits.count, nil)
        } catch where commits.count == 1 {
            lease.markBroken()
            return (0, error)
        } catch {
            for (i, commit) in commits.enumerated() {
                do {
                    try await store.commit([commit])
                } catch {
                    lease.markBroken()
                    return (i, error)
                }
            }
            return (commits.count, nil)
        }
    }

    /// Applies `input` to the state and builds its commit; nil when it changed nothing. Restores
    /// the state and throws `unencodable` if a payload cannot be encoded.
    private func prepare(_ input: ConversationInput, receipt: WebhookReceipt?) throws(ConversationError) -> ConversationCommit? {
        let saved = (state, session, scheduled, lastLeadStep)
        defer {
            producedOutbox = nil
            producedSchedule = []
        }
        do {
            let payloads = try apply(input)
            guard !payloads.isEmpty || receipt != nil || producedOutbox != nil || !producedSchedule.isEmpty || state != saved.0 else { return nil }
            var events: [ConversationEvent] = []
            events.reserveCapacity(payloads.count)
            for (kind, data) in payloads {
                state.head += 1
                events.append(ConversationEvent(conversationId: conversationId, seq: state.head, at: input.at, kind: kind, data: data))
                if kind == .alert, let alert = try? JSONDecoder().decode(AlertPayload.self, from: data) { state.open(alert, seq: state.head) }
            }
            var workJSON: [ScheduledItem.Kind: Data] = [:]
            for case .set(let item) in producedSchedule { workJSON[item.kind] = try PayloadEncoder.encode(item.work) }
            let stateJSON = try PayloadEncoder.encode(state)
            if !events.isEmpty { applied.store(true, ordering: .relaxed) }
            return ConversationCommit(
                events: events, state: state, stateJSON: stateJSON, summary: currentSummary,
                receipt: receipt, outbox: producedOutbox, schedule: producedSchedule, workJSON: workJSON)
        } catch {
            (state, session, scheduled, lastLeadStep) = saved
            throw .unencodable(conversationId: conversationId, reason: String(describing: error))
        }
    }

    /// Waits for every commit in flight (graceful shutdown).
    public func drain() async {
        guard committing else { return }
        await withCheckedContinuation { drainWaiters.append($0) }
    }

    // MARK: - Scheduled work

    /// Schedules `work` (replacing any of its kind) as part of the input being applied.
    func schedule(_ work: ScheduledWork, dueAt: Double) {
        let token = (state.scheduleCounter ?? 0) + 1
        state.scheduleCounter = token
        let item = ScheduledItem(conversationId: conversationId, dueAt: dueAt, token: token, work: work)
        scheduled[item.kind] = item
        record(.set(item))
    }

    /// Cancels scheduled work of `kind`, if any, as part of the input being applied.
    func unschedule(_ kind: ScheduledItem.Kind) {
        guard scheduled.removeValue(forKey: kind) != nil else { return }
        record(.clear(kind))
    }

    private func record(_ change: ScheduleChange) {
        producedSchedule.removeAll { $0.kind == change.kind }
        producedSchedule.append(change)
    }

    /// Arms the timers of the stored work of a rehydrated conversation; `now` is the wall
    /// clock, so work whose time passed while nobody held the conversation fires at once.
    package func armStoredWork(now: Double) {
        for item in scheduled.values { armTimer(item, from: now) }
        lease.setNextDue(scheduled.values.map(\.dueAt).min())
    }

    /// After a commit: timers for the work it scheduled (unless replaced meanwhile), none for the
    /// work it cleared. `reference` is the time the input happened, the origin of its delays.
    private func arm(_ changes: [ScheduleChange], from reference: Double) {
        guard !changes.isEmpty else { return }
        for change in changes {
            switch change {
            case .set(let item) where scheduled[item.kind]?.token == item.token:
                armTimer(item, from: reference)
            case .clear(let kind) where scheduled[kind] == nil:
                timers.removeValue(forKey: kind)?.task.cancel()
            default:
                break
            }
        }
        lease.setNextDue(scheduled.values.map(\.dueAt).min())
    }

    /// Arms `item`'s timer; `reference` is "now" in the time of its due date. Work whose time
    /// has passed fires at once, and is judged at `reference` — when it really runs — not at the
    /// due time it missed: a hold for the 8:00 window that runs at 23:30 must see 23:30.
    private func armTimer(_ item: ScheduledItem, from reference: Double) {
        timers[item.kind]?.task.cancel()
        let clock = self.clock
        let delay = Duration.milliseconds(Int64(max(0, item.dueAt - reference) * 1000))
        let at = max(item.dueAt, reference)
        let task = Task { [weak self] in
            do { try await clock.sleep(for: delay) } catch { return }
            // Refused (and so harmless) if the actor was retired or the work replaced meanwhile.
            _ = try? await self?.submit(.due(item.kind, token: item.token, at: at))
        }
        timers[item.kind] = (item.token, task)
    }

    /// Stops every timer: the actor was retired or broken; its work stays stored.
    func cancelTimers() {
        for (_, timer) in timers { timer.task.cancel() }
        timers.removeAll()
    }
}

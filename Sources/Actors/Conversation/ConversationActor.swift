import Coaching
import Foundation

/// Owns one GHL conversation: its state, its coaching session and its ordered event stream.
///
/// **Ordering.** `submit` does all of its work on the actor's state — coaching, new state,
/// sequence numbers — synchronously, with no suspension point, so two inputs can never
/// interleave: they are applied in the order their calls reach the actor. Only then does it
/// suspend, on the commit. Because an actor is re-entrant at that `await`, a later input may be
/// applied while an earlier one is still committing; to keep storage and subscribers in the same
/// order, every commit waits for the previous commit of this conversation to finish (a chain of
/// tasks), and events are published only after their own commit. If a commit fails, the actor
/// is marked broken (its memory is ahead of storage): every later commit in the chain fails
/// too, the caller gets an error (GHL retries the webhook), and the directory replaces the actor
/// with one rehydrated from storage. So `seq` in storage never has a gap.
public actor ConversationActor {
    public nonisolated let conversationId: String
    private let engine: CoachingEngine
    private let store: any ConversationStore
    private let publisher: any EventPublisher
    private let timers: any Clock<Duration>
    private let slaTarget: Duration
    private let autoSettings: any AutoResponderSettingsSource

    /// An automatic reply waiting for its delay or for the end of quiet hours.
    private struct PendingAuto {
        let token: Int
        let analysis: MessageAnalysis
        let replies: [SuggestedReply]
        let slaBreached: Bool
    }
    private var pendingAuto: PendingAuto?
    private var autoTimer: Task<Void, Never>?
    private var nextAutoToken = 0
    /// The last lead message's coaching, for the SLA-breach trigger (memory only).
    private var lastLeadStep: (analysis: MessageAnalysis, replies: [SuggestedReply])?
    /// The outbox write produced while applying an input, committed with its events.
    private var producedOutbox: OutboxWrite?

    private var summary: ConversationSummary
    private var session: CoachingSession
    private var commitChain: Task<Void, any Error>?
    private var slaTimer: Task<Void, Never>?
    /// Set when a commit failed: this actor's memory can no longer be trusted.
    public private(set) var isBroken = false
    /// Inputs submitted but not yet committed; the directory never passivates a busy actor.
    public private(set) var pending = 0

    public init(
        summary: ConversationSummary, history: [ConversationEvent] = [], engine: CoachingEngine, store: any ConversationStore, publisher: any EventPublisher,
        timers: any Clock<Duration>, slaTarget: Duration, autoSettings: any AutoResponderSettingsSource = SettingsRegistry()
    ) {
        self.autoSettings = autoSettings
        self.conversationId = summary.conversationId
        self.summary = summary
        self.engine = engine
        self.store = store
        self.publisher = publisher
        self.timers = timers
        self.slaTarget = slaTarget
        self.session = CoachingSession(represented: .seller)
        Self.replay(history, into: &session, engine: engine)
    }

    /// Rebuilds the coaching session from stored messages: the engine is deterministic, so the
    /// same messages give the same session.
    private static func replay(_ history: [ConversationEvent], into session: inout CoachingSession, engine: CoachingEngine) {
        for event in history {
            guard let message = try? event.decode(MessagePayload.self), !message.text.isEmpty else { continue }
            _ = engine.step(&session, text: message.text, speaker: event.kind == .messageInbound ? .lead : .agent, at: event.at)
        }
    }

    public var head: UInt64 { summary.head }
    public var currentSummary: ConversationSummary { summary }

    /// Applies an input, commits its events (with the webhook receipt, if any) and publishes
    /// them. Returns the events once they are durable.
    @discardableResult
    public func submit(_ input: ConversationInput, receipt: WebhookReceipt? = nil) async throws -> [ConversationEvent] {
        guard !isBroken else { throw ConversationError.broken(conversationId) }
        let payloads = apply(input)
        let outbox = producedOutbox
        producedOutbox = nil
        var events: [ConversationEvent] = []
        for (kind, data) in payloads {
            summary.head += 1
            events.append(ConversationEvent(conversationId: conversationId, seq: summary.head, at: input.at, kind: kind, data: data))
        }
        let commit = ConversationCommit(events: events, summary: summary, summaryJSON: PayloadEncoder.encode(summary), receipt: receipt, outbox: outbox)
        let previous = commitChain
        let store = self.store
        let publisher = self.publisher
        let task = Task<Void, any Error> {
            try await previous?.value
            try await store.commit(commit)
            await publisher.publish(commit)
        }
        commitChain = task
        pending += 1
        defer { pending -= 1 }
        do {
            try await task.value
        } catch {
            isBroken = true
            slaTimer?.cancel()
            autoTimer?.cancel()
            throw error
        }
        return events
    }

    /// Waits for every commit in flight (graceful shutdown).
    public func drain() async {
        _ = try? await commitChain?.value
    }

    // MARK: - Turning inputs into events

    private typealias Payload = (EventKind, Data)

    private func apply(_ input: ConversationInput) -> [Payload] {
        switch input {
        case .inbound(let message, let at): return inbound(message, at: at)
        case .outbound(let message, let at): return outbound(message, at: at)
        case .contactUpdated(let profile, _): return contactUpdated(profile)
        case .dndChanged(let channels, _): return dndChanged(channels)
        case .dealUpdated(let deal, _):
            // The opportunity's value is the best price reference GHL gives for negotiation coaching.
            if let value = deal.monetaryValue, value >= 1_000, session.reply.listing?.price == nil {
                var listing = session.reply.listing ?? Listing()
                listing.price = value
                listing.address = listing.address ?? deal.name
                session.reply.listing = listing
            }
            return [(.dealUpdated, PayloadEncoder.encode(deal))]
        case .appointment(let appointment, _):
            return [(.appointmentBooked, PayloadEncoder.encode(appointment))]
        case .setMode(let mode, let by, _):
            guard mode != summary.mode || summary.modeOverride == nil else { return [] }
            summary.mode = mode
            summary.modeOverride = mode
            return [(.modeChanged, PayloadEncoder.encode(ModePayload(mode: mode, by: by)))]
        case .whisper(let from, let to, let text, _):
            return [(.whisper, PayloadEncoder.encode(WhisperPayload(from: from, to: to ?? summary.assignedTo, text: text)))]
        case .offerLogged(let party, let amount, _, let at):
            guard let advice = engine.logOffer(&session, party: party, amount: amount, at: at) else { return [] }
            return [(.negotiationUpdated, PayloadEncoder.encode(advice))]
        case .takeover(let by, let at):
            let previous = summary.takenOverBy ?? summary.assignedTo
            summary.takenOverBy = by
            return [(.assignmentChanged, PayloadEncoder.encode(AssignmentPayload(assignedTo: by, previous: previous, reason: "takeover")))] + humanActed(at: at)
        case .release(let by, _):
            guard summary.takenOverBy != nil else { return [] }
            summary.takenOverBy = nil
            return [(.assignmentChanged, PayloadEncoder.encode(AssignmentPayload(assignedTo: summary.assignedTo, previous: by, reason: "release")))]
        case .autoFire(let token, let at):
            return autoFire(token: token, at: at)
        case .replyQueued(let request, let by, let at):
            // A person answered: the lead is no longer waiting.
            let human = request.origin == "auto" ? [] : humanActed(at: at)
            summary.waitingSince = nil
            slaTimer?.cancel()
            slaTimer = nil
            if summary.state == "waiting" { summary.state = "active" }
            summary.lastMessageAt = at
            summary.lastMessagePreview = String(request.text.prefix(140))
            producedOutbox = .insert(request)
            let message = MessagePayload(channel: request.channel, text: request.text, direction: "outbound", userId: by, source: "livehub", delivery: DeliveryState.queued.rawValue, outboxId: request.outboxId)
            return [(.messageOutbound, PayloadEncoder.encode(message))] + human
        case .delivery(let id, let text, let channel, let state, let messageId, let error, _):
            producedOutbox = .update(outboxId: id, state: state, messageId: messageId, error: error)
            let message = MessagePayload(messageId: messageId, channel: channel, text: text, direction: "outbound", source: "livehub", delivery: state.rawValue, outboxId: id, error: error)
            return [(.messageOutbound, PayloadEncoder.encode(message))]
        case .slaCheck(let at):
            guard let since = summary.waitingSince, summary.slaAlertedFor != since, at - since >= slaTarget.inSeconds - 0.001 else { return [] }
            summary.slaAlertedFor = since
            let alert = AlertPayload(reason: .slaBreach, message: "No human reply for \(Int(at - since)) seconds", waitingSeconds: at - since, evidence: [summary.lastMessagePreview ?? ""])
            var out: [Payload] = [(.alert, PayloadEncoder.encode(alert))]
            // No human reply in time is an auto-responder trigger.
            if let last = lastLeadStep { out += autoRespond(analysis: last.analysis, replies: last.replies, at: at, slaBreached: true) }
            return out
        }
    }

    private func inbound(_ message: MessagePayload, at: Double) -> [Payload] {
        var out: [Payload] = [(.messageInbound, PayloadEncoder.encode(message))]
        summary.lastMessageAt = at
        summary.lastInboundChannel = message.channel
        summary.lastMessagePreview = String(message.text.prefix(140))
        guard !message.text.isEmpty else { return out }
        let step = engine.step(&session, text: message.text, speaker: .lead, at: at)
        out.append((.analysis, PayloadEncoder.encode(step.analysis)))
        out.append((.leadScored, PayloadEncoder.encode(step.score)))
        out += step.cards.map { (.coachingCard, PayloadEncoder.encode($0)) }
        out += step.replies.map { (.replySuggested, PayloadEncoder.encode($0)) }
        if let advice = step.negotiation { out.append((.negotiationUpdated, PayloadEncoder.encode(advice))) }
        summary.tier = step.score.tier
        summary.score = step.score.score
        summary.sentiment = step.analysis.sentiment.score
        summary.leadMessages = (summary.leadMessages ?? 0) + 1
        lastLeadStep = (step.analysis, step.replies)
        let a = step.analysis
        if a.isOptOut {
            let channel = message.channel
            if !summary.optedOutChannels.contains(channel) { summary.optedOutChannels.append(channel) }
            summary.state = "opted_out"
            summary.waitingSince = nil
            out.append((.optOutChanged, PayloadEncoder.encode(OptOutPayload(channels: summary.optedOutChannels, source: "message", evidence: a.intent.evidence))))
            out.append(alert(.optOut, "The lead opted out on \(channel)", a.intent.evidence))
            out += autoRespond(analysis: a, replies: step.replies, at: at, slaBreached: false)
            return out
        }
        if summary.waitingSince == nil {
            summary.waitingSince = at
            armSLATimer(since: at, after: slaTarget)
        }
        summary.state = "waiting"
        if a.intent.intent == .humanRequest { out.append(alert(.humanRequested, "The lead asked for a person", a.intent.evidence)) }
        if a.has(.legalThreat) { out.append(alert(.legalThreat, "The lead threatened legal action", a.compliance.first { $0.kind == .legalThreat }?.evidence ?? [])) }
        if a.sentiment.label == .veryNegative { out.append(alert(.negativeSentiment, "The lead is upset", a.sentiment.evidence)) }
        out += autoRespond(analysis: a, replies: step.replies, at: at, slaBreached: false)
        return out
    }

    private func outbound(_ message: MessagePayload, at: Double) -> [Payload] {
        var out: [Payload] = [(.messageOutbound, PayloadEncoder.encode(message))]
        summary.lastMessageAt = at
        if !message.text.isEmpty { summary.lastMessagePreview = String(message.text.prefix(140)) }
        // A person answered (a GHL user, not a workflow or bulk send): the lead is no longer waiting.
        if message.userId != nil || message.source == "app" {
            out += humanActed(at: at)
            summary.waitingSince = nil
            slaTimer?.cancel()
            slaTimer = nil
            if summary.state == "waiting" { summary.state = "active" }
        }
        if !message.text.isEmpty {
            let step = engine.step(&session, text: message.text, speaker: .agent, at: at)
            out.append((.leadScored, PayloadEncoder.encode(step.score)))
            if let advice = step.negotiation { out.append((.negotiationUpdated, PayloadEncoder.encode(advice))) }
        }
        return out
    }

    private func contactUpdated(_ profile: ContactProfile) -> [Payload] {
        var out: [Payload] = [(.contactUpdated, PayloadEncoder.encode(profile))]
        let name = [profile.firstName, profile.lastName].compactMap { $0 }.joined(separator: " ")
        if !name.isEmpty { summary.contactName = name }
        session.reply.leadFirstName = profile.firstName ?? session.reply.leadFirstName
        if profile.assignedTo != summary.assignedTo {
            out.append((.assignmentChanged, PayloadEncoder.encode(AssignmentPayload(assignedTo: profile.assignedTo, previous: summary.assignedTo, reason: "ghl"))))
            summary.assignedTo = profile.assignedTo
        }
        if let tz = profile.timezone { summary.contactTimezone = tz }
        if !profile.dndChannels.isEmpty || !summary.optedOutChannels.isEmpty { out += dndChanged(profile.dndChannels) }
        return out
    }

    private func dndChanged(_ channels: [String]) -> [Payload] {
        let sorted = channels.sorted()
        guard sorted != summary.optedOutChannels.sorted() else { return [] }
        summary.optedOutChannels = sorted
        summary.state = sorted.isEmpty ? "active" : "opted_out"
        return [(.optOutChanged, PayloadEncoder.encode(OptOutPayload(channels: sorted, source: "ghl_dnd", evidence: [])))]
    }

    private func alert(_ reason: AlertPayload.Reason, _ message: String, _ evidence: [String]) -> Payload {
        (.alert, PayloadEncoder.encode(AlertPayload(reason: reason, message: message, waitingSeconds: nil, evidence: evidence)))
    }

    // MARK: - Auto-responder

    /// Decides what the auto-responder does with a lead message in `auto` mode: a decision event
    /// now (held, escalated, or held for quiet hours), or a send scheduled after the delay.
    private func autoRespond(analysis: MessageAnalysis, replies: [SuggestedReply], at: Double, slaBreached: Bool) -> [Payload] {
        let s = autoSettings.settings(for: summary.locationId)
        guard (summary.modeOverride ?? s.mode) == .auto else { return [] }
        var out: [Payload] = []
        if pendingAuto != nil {
            out.append(decision("held", "superseded_by_newer_message"))
            cancelPendingAuto()
        }
        let decided = AutoResponderPolicy.decide(autoFacts(s, slaBreached: slaBreached, at: at), analysis: analysis, replies: replies, now: at)
        switch decided {
        case .send(let reply) where s.delaySeconds == 0:
            // No delay: queue it in the same commit as the lead's message — no timer, no second commit.
            out += sendAuto(reply, s, slaBreached: slaBreached, at: at)
        case .send:
            schedule(PendingAuto(token: nextToken(), analysis: analysis, replies: replies, slaBreached: slaBreached), fireAt: at + s.delaySeconds, now: at)
        case .wait(let until):
            out.append(decision("held", "quiet_hours", retryAt: until))
            schedule(PendingAuto(token: nextToken(), analysis: analysis, replies: replies, slaBreached: slaBreached), fireAt: until, now: at)
        case .hold(let reason):
            out.append(decision("held", reason))
        case .escalate(let reason):
            out.append(decision("escalated", reason))
            if reason == "negotiation" { out.append(alert(.negotiation, "An offer is on the table: a person should answer", analysis.intent.evidence)) }
        }
        return out
    }

    /// The delay ended: check every rule again (a person may have taken over, the lead may have
    /// opted out) and send, or record why not.
    private func autoFire(token: Int, at: Double) -> [Payload] {
        guard let pending = pendingAuto, pending.token == token else { return [] }
        pendingAuto = nil
        let s = autoSettings.settings(for: summary.locationId)
        guard (summary.modeOverride ?? s.mode) == .auto else { return [decision("held", "mode_changed")] }
        switch AutoResponderPolicy.decide(autoFacts(s, slaBreached: pending.slaBreached, at: at), analysis: pending.analysis, replies: pending.replies, now: at) {
        case .send(let reply):
            return sendAuto(reply, s, slaBreached: pending.slaBreached, at: at)
        case .wait(let until):
            schedule(PendingAuto(token: nextToken(), analysis: pending.analysis, replies: pending.replies, slaBreached: pending.slaBreached), fireAt: until, now: at)
            return [decision("held", "quiet_hours", retryAt: until)]
        case .hold(let reason):
            return [decision("held", reason)]
        case .escalate(let reason):
            return [decision("escalated", reason)]
        }
    }

    /// Queues an automatic reply: the outbox row goes in the same commit as its events.
    private func sendAuto(_ reply: SuggestedReply, _ s: AutoResponderSettings, slaBreached: Bool, at: Double) -> [Payload] {
        guard let contact = summary.contactId else { return [decision("held", "no_contact")] }
        let channel = OutboundRequest.replyChannel(lastInbound: summary.lastInboundChannel)
        let request = OutboundRequest(
            outboxId: "auto-\(conversationId)-\(summary.head + 1)", conversationId: conversationId, locationId: summary.locationId, contactId: contact,
            channel: channel, text: reply.text, origin: "auto", suggestionId: reply.id)
        producedOutbox = .insert(request)
        let day = autoDay(at, s)
        summary.autoSentOnDay = summary.autoDay == day ? (summary.autoSentOnDay ?? 0) + 1 : 1
        summary.autoDay = day
        summary.autoSentTotal = (summary.autoSentTotal ?? 0) + 1
        summary.lastMessageAt = at
        summary.lastMessagePreview = String(reply.text.prefix(140))
        let message = MessagePayload(channel: channel, text: reply.text, direction: "outbound", source: "autoresponder", delivery: DeliveryState.queued.rawValue, outboxId: request.outboxId)
        let trigger = slaBreached ? "sla_breach" : (summary.leadMessages ?? 0) <= 1 ? "first_message" : "outside_business_hours"
        return [(.messageOutbound, PayloadEncoder.encode(message)), decision("sent", trigger, outboxId: request.outboxId)]
    }

    /// A person wrote or took over: the bot goes quiet and any pending automatic reply is dropped.
    private func humanActed(at: Double) -> [Payload] {
        summary.lastHumanAt = at
        guard pendingAuto != nil else { return [] }
        cancelPendingAuto()
        return [decision("held", "human_replied")]
    }

    private func autoFacts(_ s: AutoResponderSettings, slaBreached: Bool, at: Double) -> AutoResponderPolicy.Facts {
        let day = autoDay(at, s)
        return AutoResponderPolicy.Facts(
            settings: s, mode: summary.modeOverride ?? s.mode, channel: summary.lastInboundChannel ?? "SMS", optedOutChannels: summary.optedOutChannels,
            contactTimezone: summary.contactTimezone, autoSentToday: summary.autoDay == day ? (summary.autoSentOnDay ?? 0) : 0,
            autoSentTotal: summary.autoSentTotal ?? 0, lastHumanAt: summary.lastHumanAt, takenOver: summary.takenOverBy != nil,
            negotiating: session.negotiation != nil, firstLeadMessage: (summary.leadMessages ?? 0) <= 1, slaBreached: slaBreached)
    }

    /// The contact's local day at `at`: what the daily cap counts by.
    private func autoDay(_ at: Double, _ s: AutoResponderSettings) -> Int {
        AutoResponderPolicy.localDay(at, zone: AutoResponderPolicy.zone(contact: summary.contactTimezone, s))
    }

    private func decision(_ action: String, _ reason: String, outboxId: String? = nil, retryAt: Double? = nil) -> Payload {
        (.autoresponderDecision, PayloadEncoder.encode(AutoDecisionPayload(action: action, reason: reason, outboxId: outboxId, retryAt: retryAt)))
    }

    private func nextToken() -> Int {
        nextAutoToken += 1
        return nextAutoToken
    }

    private func schedule(_ pending: PendingAuto, fireAt: Double, now: Double) {
        autoTimer?.cancel()
        pendingAuto = pending
        let timers = self.timers
        let delay = Duration.milliseconds(Int64(max(0, fireAt - now) * 1000))
        autoTimer = Task { [weak self] in
            do { try await timers.sleep(for: delay) } catch { return }
            _ = try? await self?.submit(.autoFire(token: pending.token, at: fireAt))
        }
    }

    private func cancelPendingAuto() {
        autoTimer?.cancel()
        autoTimer = nil
        pendingAuto = nil
    }

    /// Fires once per waiting period, on the injected clock.
    private func armSLATimer(since: Double, after delay: Duration) {
        slaTimer?.cancel()
        let timers = self.timers
        let target = slaTarget
        slaTimer = Task { [weak self] in
            do {
                try await timers.sleep(for: delay)
            } catch {
                return
            }
            _ = try? await self?.submit(.slaCheck(at: since + target.inSeconds))
        }
    }

    /// After a restart: a lead still waiting gets its timer back for the time that remains
    /// (immediately if the target already passed while the server was down).
    public func resumeTimers(now: Double) {
        guard let since = summary.waitingSince, summary.slaAlertedFor != since, slaTimer == nil else { return }
        let remaining = max(0, slaTarget.inSeconds - (now - since))
        armSLATimer(since: since, after: .milliseconds(Int64(remaining * 1000)))
    }

}

public enum ConversationError: Error, CustomStringConvertible {
    case broken(String)
    public var description: String {
        switch self {
        case .broken(let id): return "conversation \(id) failed to commit and must be reloaded from storage"
        }
    }
}

import Coaching
import Foundation

/// The auto-responder inside the conversation: decisions for lead messages, held replies as
/// scheduled work, automatic replies through the outbox in the decision's own commit.
extension ConversationActor {
    /// Decides what the auto-responder does with a lead message in `auto` mode: a decision event
    /// now (held, escalated, or held for quiet hours), or a send — at once, or after the delay.
    func autoRespond(analysis: MessageAnalysis, replies: [SuggestedReply], at: Double, slaBreached: Bool) throws -> [Payload] {
        let s = autoSettings.settings(for: state.locationId)
        guard effectiveMode == .auto else { return [] }
        var out: [Payload] = []
        if scheduled[.autoReply] != nil {
            // A newer lead message replaces the reply held for an older one.
            out.append(try decision("held", "superseded_by_newer_message"))
            unschedule(.autoReply)
        }
        let held = HeldReply(analysis: analysis, replies: replies, slaBreached: slaBreached)
        switch AutoResponderPolicy.decide(autoFacts(s, slaBreached: slaBreached, at: at), analysis: analysis, replies: replies, now: at) {
        case .send(let reply) where s.delaySeconds == 0:
            // No delay: queue it in the same commit as the lead's message — no timer, no second commit.
            out += try sendAuto(reply, s, slaBreached: slaBreached, at: at)
        case .send:
            schedule(.autoReply(held), dueAt: at + s.delaySeconds)
        case .wait(let until):
            out.append(try decision("held", "quiet_hours", retryAt: until))
            schedule(.autoReply(held), dueAt: until)
        case .hold(let reason):
            out.append(try decision("held", reason))
        case .escalate(let reason):
            out.append(try decision("escalated", reason))
            if reason == "negotiation" { out.append(try alert(.negotiation, "An offer is on the table: a person should answer", analysis.intent.evidence)) }
        }
        return out
    }

    /// The delay (or the quiet hours) ended: check every rule again (a person may have taken
    /// over, the lead may have opted out) and send, or record why not.
    func autoFire(_ held: HeldReply, at: Double) throws -> [Payload] {
        let s = autoSettings.settings(for: state.locationId)
        guard effectiveMode == .auto else { return [try decision("held", "mode_changed")] }
        switch AutoResponderPolicy.decide(autoFacts(s, slaBreached: held.slaBreached, at: at), analysis: held.analysis, replies: held.replies, now: at) {
        case .send(let reply):
            return try sendAuto(reply, s, slaBreached: held.slaBreached, at: at)
        case .wait(let until):
            schedule(.autoReply(held), dueAt: until)
            return [try decision("held", "quiet_hours", retryAt: until)]
        case .hold(let reason):
            return [try decision("held", reason)]
        case .escalate(let reason):
            return [try decision("escalated", reason)]
        }
    }

    /// Queues an automatic reply: the outbox row goes in the same commit as its events.
    private func sendAuto(_ reply: SuggestedReply, _ s: AutoResponderSettings, slaBreached: Bool, at: Double) throws -> [Payload] {
        guard let contact = state.contactId else { return [try decision("held", "no_contact")] }
        let channel = OutboundRequest.replyChannel(lastInbound: state.lastInboundChannel)
        let request = OutboundRequest(
            outboxId: "auto-\(conversationId)-\(state.head + 1)", conversationId: conversationId, locationId: state.locationId, contactId: contact,
            channel: channel, text: reply.text, origin: "auto", suggestionId: reply.id)
        let message = MessagePayload(
            channel: channel, text: reply.text, direction: "outbound", source: "autoresponder", delivery: DeliveryState.queued.rawValue, outboxId: request.outboxId)
        let trigger = slaBreached ? "sla_breach" : (state.leadMessages ?? 0) <= 1 ? "first_message" : "outside_business_hours"
        let events = [(EventKind.messageOutbound, try PayloadEncoder.encode(message)), try decision("sent", trigger, outboxId: request.outboxId)]
        producedOutbox = .insert(request)
        let day = autoDay(at, s)
        state.autoSentOnDay = state.autoDay == day ? (state.autoSentOnDay ?? 0) + 1 : 1
        state.autoDay = day
        state.autoSentTotal = (state.autoSentTotal ?? 0) + 1
        state.lastAutoAt = at
        state.autoTextDigests = Array(((state.autoTextDigests ?? []) + [AutoResponderPolicy.digest(reply.text)]).suffix(AutoResponderPolicy.rememberedTexts))
        state.lastMessageAt = at
        state.lastMessagePreview = String(reply.text.prefix(140))
        return events
    }

    /// A person wrote or took over: the bot goes quiet and any held automatic reply is dropped.
    func humanActed(at: Double) throws -> [Payload] {
        state.lastHumanAt = at
        guard scheduled[.autoReply] != nil else { return [] }
        unschedule(.autoReply)
        return [try decision("held", "human_replied")]
    }

    private func autoFacts(_ s: AutoResponderSettings, slaBreached: Bool, at: Double) -> AutoResponderPolicy.Facts {
        let day = autoDay(at, s)
        return AutoResponderPolicy.Facts(
            settings: s, mode: effectiveMode, channel: state.lastInboundChannel ?? "SMS", optedOutChannels: state.optedOutChannels,
            contactTimezone: state.contactTimezone, autoSentToday: state.autoDay == day ? (state.autoSentOnDay ?? 0) : 0,
            autoSentTotal: state.autoSentTotal ?? 0, lastHumanAt: state.lastHumanAt, takenOver: state.takenOverBy != nil,
            negotiating: session.negotiation != nil, firstLeadMessage: (state.leadMessages ?? 0) <= 1, slaBreached: slaBreached,
            sentTextDigests: Set(state.autoTextDigests ?? []))
    }

    /// The contact's local day at `at`: what the daily cap counts by.
    private func autoDay(_ at: Double, _ s: AutoResponderSettings) -> Int {
        AutoResponderPolicy.localDay(at, zone: AutoResponderPolicy.zone(contact: state.contactTimezone, s))
    }

    private func decision(_ action: String, _ reason: String, outboxId: String? = nil, retryAt: Double? = nil) throws -> Payload {
        (.autoresponderDecision, try PayloadEncoder.encode(AutoDecisionPayload(action: action, reason: reason, outboxId: outboxId, retryAt: retryAt)))
    }
}

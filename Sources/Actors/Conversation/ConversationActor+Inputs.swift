import Coaching
import Foundation

/// Turning inputs into events. Everything here runs synchronously on the actor while an input
/// is applied (see `ConversationActor` on ordering); it changes `state` and records outbox and
/// schedule changes for the input's commit.
extension ConversationActor {
    typealias Payload = (EventKind, Data)

    func apply(_ input: ConversationInput) throws -> [Payload] {
        switch input {
        case .inbound(let message, let at): return try inbound(message, at: at)
        case .outbound(let message, let at): return try outbound(message, at: at)
        case .contactUpdated(let profile, _): return try contactUpdated(profile)
        case .dndChanged(let channels, _): return try dndChanged(channels)
        case .dealUpdated(let deal, _):
            return try dealUpdated(deal)
        case .appointment(let appointment, _):
            return [(.appointmentBooked, try PayloadEncoder.encode(appointment))]
        case .setMode(let mode, let by, _):
            guard mode != state.modeOverride else { return [] }
            state.modeOverride = mode
            return [(.modeChanged, try PayloadEncoder.encode(ModePayload(mode: mode, by: by)))]
        case .cardDismissed(let seq, let card, _):
            // Once per card: a second dismissal (another tab, a retry) changes nothing.
            guard !(state.dismissedCards ?? []).contains(seq) else { return [] }
            state.dismissedCards = Array(((state.dismissedCards ?? []) + [seq]).suffix(ConversationState.keptCardDismissals))
            return [(.cardDismissed, try PayloadEncoder.encode(card))]
        case .alertAcknowledged(let seq, let by, _):
            guard let open = state.openAlerts?.first(where: { $0.seq == seq }) else { return [] }
            state.openAlerts?.removeAll { $0.seq == seq }
            return [(.alertAcknowledged, try PayloadEncoder.encode(AlertAcknowledgedPayload(alertSeq: seq, reason: open.reason, by: by)))]
        case .whisper(let from, let to, let text, _):
            return [(.whisper, try PayloadEncoder.encode(WhisperPayload(from: from, to: to ?? state.assignedTo, text: text)))]
        case .negotiationLinked(let id, let price, let by, _):
            return try linkNegotiation(id, listingPrice: price, by: by)
        case .negotiationEnded(let id, _):
            negotiationEnded(id)
            return []
        case .negotiationAdvice(let update, let seq, _):
            return try negotiationAdvice(update, seq: seq)
        case .callTranscript(let messageId, let fetch, let at):
            return try transcriptArrived(messageId, fetch, at: at)
        case .takeover(let by, let at):
            let previous = state.takenOverBy ?? state.assignedTo
            state.takenOverBy = by
            return [(.assignmentChanged, try PayloadEncoder.encode(AssignmentPayload(assignedTo: by, previous: previous, reason: "takeover")))] + (try humanActed(at: at))
        case .release(let by, _):
            guard state.takenOverBy != nil else { return [] }
            state.takenOverBy = nil
            return [(.assignmentChanged, try PayloadEncoder.encode(AssignmentPayload(assignedTo: state.assignedTo, previous: by, reason: "release")))]
        case .due(let kind, let token, let at):
            guard let item = scheduled[kind], item.token == token else { return [] }
            unschedule(kind)
            switch item.work {
            case .slaCheck(let since): return try slaCheck(since: since, at: at)
            case .autoReply(let held): return try autoFire(held, at: at)
            case .transcriptCheck: return transcriptDue(at: at)
            }
        case .replyQueued(let request, let by, let at):
            // A person answered: the lead is no longer waiting.
            let human = request.origin == "auto" ? [] : try humanActed(at: at)
            stopWaiting()
            state.lastMessageAt = at
            state.lastMessagePreview = String(request.text.prefix(140))
            producedOutbox = .insert(request)
            let message = MessagePayload(
                channel: request.channel, text: request.text, direction: "outbound", userId: by, source: "livehub", delivery: DeliveryState.queued.rawValue,
                outboxId: request.outboxId)
            return [(.messageOutbound, try PayloadEncoder.encode(message))] + human
        case .delivery(let id, let text, let channel, let delivery, let messageId, let error, _):
            producedOutbox = .update(outboxId: id, state: delivery, messageId: messageId, error: error)
            let message = MessagePayload(
                messageId: messageId, channel: channel, text: text, direction: "outbound", source: "livehub", delivery: delivery.rawValue, outboxId: id, error: error)
            return [(.messageOutbound, try PayloadEncoder.encode(message))]
        }
    }

    private func inbound(_ message: MessagePayload, at: Double) throws -> [Payload] {
        var out: [Payload] = [(.messageInbound, try PayloadEncoder.encode(message))]
        state.lastMessageAt = at
        state.lastInboundChannel = message.channel
        state.lastMessagePreview = String(message.text.prefix(140))
        noteCall(message, at: at)
        guard !message.text.isEmpty else { return out }
        let step = engine.step(&session, text: message.text, speaker: .lead, at: at)
        let opened = try notePrices(step.analysis)
        out.append((.analysis, try PayloadEncoder.encode(step.analysis)))
        out.append((.leadScored, try PayloadEncoder.encode(step.score)))
        out += try step.cards.map { (.coachingCard, try PayloadEncoder.encode($0)) }
        out += try step.replies.map { (.replySuggested, try PayloadEncoder.encode($0)) }
        out += opened
        state.tier = step.score.tier
        state.score = step.score.score
        state.sentiment = step.analysis.sentiment.score
        state.leadMessages = (state.leadMessages ?? 0) + 1
        lastLeadStep = (step.analysis, step.replies)
        let a = step.analysis
        if a.isOptOut {
            let channel = message.channel
            if !state.optedOutChannels.contains(channel) { state.optedOutChannels.append(channel) }
            state.state = "opted_out"
            state.waitingSince = nil
            unschedule(.slaCheck)
            out.append((.optOutChanged, try PayloadEncoder.encode(OptOutPayload(channels: state.optedOutChannels, source: "message", evidence: a.intent.evidence))))
            out.append(try alert(.optOut, "The lead opted out on \(channel)", a.intent.evidence))
            out += try autoRespond(analysis: a, replies: step.replies, at: at, slaBreached: false)
            return out
        }
        if state.waitingSince == nil {
            state.waitingSince = at
            schedule(.slaCheck(waitingSince: at), dueAt: at + slaTarget.inSeconds)
        }
        state.state = "waiting"
        if a.intent.intent == .humanRequest { out.append(try alert(.humanRequested, "The lead asked for a person", a.intent.evidence)) }
        if a.has(.legalThreat) { out.append(try alert(.legalThreat, "The lead threatened legal action", a.compliance.first { $0.kind == .legalThreat }?.evidence ?? [])) }
        if a.sentiment.label == .veryNegative { out.append(try alert(.negativeSentiment, "The lead is upset", a.sentiment.evidence)) }
        out += try autoRespond(analysis: a, replies: step.replies, at: at, slaBreached: false)
        return out
    }

    private func outbound(_ message: MessagePayload, at: Double) throws -> [Payload] {
        var out: [Payload] = [(.messageOutbound, try PayloadEncoder.encode(message))]
        state.lastMessageAt = at
        if !message.text.isEmpty { state.lastMessagePreview = String(message.text.prefix(140)) }
        // A person answered (a GHL user, not a workflow or bulk send): the lead is no longer waiting.
        if message.userId != nil || message.source == "app" {
            out += try humanActed(at: at)
            stopWaiting()
        }
        noteCall(message, at: at)
        if !message.text.isEmpty {
            let step = engine.step(&session, text: message.text, speaker: .agent, at: at)
            out.append((.leadScored, try PayloadEncoder.encode(step.score)))
            out += try notePrices(step.analysis)
        }
        return out
    }

    /// A person replied: nobody waits any more, and the first-response check is off.
    private func stopWaiting() {
        state.waitingSince = nil
        unschedule(.slaCheck)
        if state.state == "waiting" { state.state = "active" }
    }

    private func contactUpdated(_ profile: ContactProfile) throws -> [Payload] {
        var out: [Payload] = [(.contactUpdated, try PayloadEncoder.encode(profile))]
        let name = [profile.firstName, profile.lastName].compactMap { $0 }.joined(separator: " ")
        if !name.isEmpty { state.contactName = name }
        session.reply.leadFirstName = profile.firstName ?? session.reply.leadFirstName
        if profile.assignedTo != state.assignedTo {
            out.append((.assignmentChanged, try PayloadEncoder.encode(AssignmentPayload(assignedTo: profile.assignedTo, previous: state.assignedTo, reason: "ghl"))))
            state.assignedTo = profile.assignedTo
        }
        if let tz = profile.timezone { state.contactTimezone = tz }
        if !profile.dndChannels.isEmpty || !state.optedOutChannels.isEmpty { out += try dndChanged(profile.dndChannels) }
        return out
    }

    private func dndChanged(_ channels: [String]) throws -> [Payload] {
        let sorted = channels.sorted()
        guard sorted != state.optedOutChannels.sorted() else { return [] }
        state.optedOutChannels = sorted
        state.state = sorted.isEmpty ? "active" : "opted_out"
        return [(.optOutChanged, try PayloadEncoder.encode(OptOutPayload(channels: sorted, source: "ghl_dnd", evidence: [])))]
    }

    /// The first-response target passed for the waiting period that began at `since`: alert the
    /// supervisors once, and let the auto-responder answer a lead that got no reply at all.
    private func slaCheck(since: Double, at: Double) throws -> [Payload] {
        guard state.waitingSince == since, state.slaAlertedFor != since else { return [] }
        state.slaAlertedFor = since
        let alert = AlertPayload(reason: .slaBreach, message: "No human reply for \(Int(at - since)) seconds", waitingSeconds: at - since, evidence: [state.lastMessagePreview ?? ""])
        var out: [Payload] = [(.alert, try PayloadEncoder.encode(alert))]
        // An automatic reply already went out (or is on its way) for this waiting period: the
        // lead has been answered, and sending again would repeat it. A check that runs long after
        // its time (the server was down) still alerts, but is no moment to text the lead.
        let answered = state.lastAutoAt.map { $0 >= since } ?? false
        let late = at - (since + slaTarget.inSeconds) > max(slaTarget.inSeconds, Self.lateSLAReplyLimit)
        if !answered, !late, scheduled[.autoReply] == nil, let last = lastLeadStep {
            out += try autoRespond(analysis: last.analysis, replies: last.replies, at: at, slaBreached: true)
        }
        return out
    }

    /// How late (seconds past its target) an SLA check may run and still answer automatically.
    static let lateSLAReplyLimit: Double = 600

    func alert(_ reason: AlertPayload.Reason, _ message: String, _ evidence: [String]) throws -> Payload {
        (.alert, try PayloadEncoder.encode(AlertPayload(reason: reason, message: message, waitingSeconds: nil, evidence: evidence)))
    }
}

import Coaching
import Foundation

/// Calls, coached from their transcripts. A completed or answered call is remembered in the
/// state (`pendingCalls`) and a transcript check scheduled, in the commit of the call's message,
/// so the fetch survives restarts; its answer comes back as an input. "Not yet" is retried with
/// backoff up to `TranscriptPolicy.maxAttempts`, then given up with its reason.
extension ConversationActor {
    /// Call statuses after which something was said (GHL: `completed`, `answered`).
    static let talkedStatuses: Set<String> = ["completed", "answered"]

    /// Remembers a call worth transcribing: completed or answered, with a duration, not a
    /// voicemail or a missed call.
    func noteCall(_ m: MessagePayload, at: Double) {
        guard calls != nil, m.channel.uppercased() == "CALL", let id = m.messageId, !id.isEmpty,
            let status = m.callStatus?.lowercased(), Self.talkedStatuses.contains(status),
            (m.callDuration ?? 0) > 0, m.status?.lowercased() != "voicemail"
        else { return }
        var pending = state.pendingCalls ?? []
        guard !pending.contains(where: { $0.messageId == id }) else { return }
        pending.append(PendingCall(messageId: id, direction: m.direction, durationSeconds: m.callDuration, attempts: 0, nextAt: at + transcripts.firstDelay))
        state.pendingCalls = pending
        scheduleTranscriptCheck()
    }

    private func scheduleTranscriptCheck() {
        guard let next = state.pendingCalls?.map(\.nextAt).min() else {
            unschedule(.transcript)
            return
        }
        if scheduled[.transcript]?.dueAt != next { schedule(.transcriptCheck, dueAt: next) }
    }

    /// The check came due: fetch every due call's transcript off the actor. The answer comes
    /// back as `.callTranscript`; should it never come (the node stopped), the watchdog asks again.
    func transcriptDue(at: Double) -> [Payload] {
        guard var pending = state.pendingCalls else { return [] }
        guard let source = calls else {
            // Transcription was turned off since: the calls wait for nothing any more.
            state.pendingCalls = nil
            return []
        }
        let location = locationId
        for i in pending.indices where pending[i].nextAt <= at {
            let call = pending[i]
            pending[i].nextAt = at + transcripts.watchdog
            let started = ContinuousClock.now
            Task { [weak self] in
                let fetch = await source.transcript(location: location, messageId: call.messageId, direction: call.direction)
                let elapsed = (ContinuousClock.now - started).inSeconds
                _ = try? await self?.submit(.callTranscript(messageId: call.messageId, fetch, at: at + elapsed))
            }
        }
        state.pendingCalls = pending
        scheduleTranscriptCheck()
        return []
    }

    func transcriptArrived(_ messageId: String, _ fetch: TranscriptFetch, at: Double) throws -> [Payload] {
        guard var pending = state.pendingCalls, let i = pending.firstIndex(where: { $0.messageId == messageId }) else { return [] }
        var call = pending[i]
        var out: [Payload] = []
        switch fetch {
        case .notYet(let reason):
            call.attempts += 1
            if call.attempts >= transcripts.maxAttempts {
                pending.remove(at: i)
                let failed = CallTranscriptionFailedPayload(messageId: messageId, reason: "no transcript after \(call.attempts) attempts (last: \(reason))", attempts: call.attempts)
                out.append((.callTranscriptionFailed, try PayloadEncoder.encode(failed)))
            } else {
                call.nextAt = at + transcripts.delay(afterAttempts: call.attempts)
                pending[i] = call
            }
        case .failed(let reason):
            pending.remove(at: i)
            let failed = CallTranscriptionFailedPayload(messageId: messageId, reason: reason, attempts: call.attempts + 1)
            out.append((.callTranscriptionFailed, try PayloadEncoder.encode(failed)))
        case .ready(let sentences, let attribution):
            pending.remove(at: i)
            out += try coachCall(call, sentences, attribution: attribution, at: at)
        }
        state.pendingCalls = pending.isEmpty ? nil : pending
        scheduleTranscriptCheck()
        return out
    }

    /// `call.transcribed`, then the lead's sentences coached as one turn (analysis, score,
    /// cards, and an opt-out said on the call), the agent's recorded, and the call's summary.
    /// An opt-out is taken from the whole-turn analysis or from the summary, which reads the
    /// call turn by turn (a long call's middle is beyond what one message's analysis reads).
    private func coachCall(_ call: PendingCall, _ sentences: [AttributedSentence], attribution: String, at: Double) throws -> [Payload] {
        var out: [Payload] = [
            (.callTranscribed, try PayloadEncoder.encode(CallTranscribedPayload(messageId: call.messageId, sentences: sentences, durationSeconds: call.durationSeconds, attribution: attribution)))
        ]
        let summary = CallSummarizer.summarize(sentences, listing: session.reply.listing, durationSeconds: call.durationSeconds, analyzer: engine.analyzer)
        let leadText = sentences.filter { $0.speaker != .agent }.map(\.text).joined(separator: " ")
        let agentText = sentences.filter { $0.speaker == .agent }.map(\.text).joined(separator: " ")
        var opened: [Payload] = []
        if !agentText.isEmpty { opened += try notePrices(engine.step(&session, text: agentText, speaker: .agent, at: at).analysis) }
        var optOutEvidence: [String]? = summary.leadOptedOut ? [summary.optOutEvidence ?? ""].filter { !$0.isEmpty } : nil
        if !leadText.isEmpty {
            let step = engine.step(&session, text: leadText, speaker: .lead, at: at)
            opened += try notePrices(step.analysis)
            out.append((.analysis, try PayloadEncoder.encode(step.analysis)))
            out.append((.leadScored, try PayloadEncoder.encode(step.score)))
            out += try step.cards.map { (.coachingCard, try PayloadEncoder.encode($0)) }
            state.tier = step.score.tier
            state.score = step.score.score
            state.sentiment = step.analysis.sentiment.score
            if step.analysis.isOptOut { optOutEvidence = step.analysis.intent.evidence }
        }
        if let evidence = optOutEvidence {
            // Said on the call: no more calls, and (as GHL's DND "all" would) no texts either.
            for channel in ["CALL", "all"] where !state.optedOutChannels.contains(channel) { state.optedOutChannels.append(channel) }
            state.state = "opted_out"
            state.waitingSince = nil
            unschedule(.slaCheck)
            unschedule(.autoReply)
            out.append((.optOutChanged, try PayloadEncoder.encode(OptOutPayload(channels: state.optedOutChannels, source: "call", evidence: evidence))))
            out.append(try alert(.optOut, "The lead opted out on a call", evidence))
        }
        out.append((.coachingCard, try PayloadEncoder.encode(summary.card())))
        return out + opened
    }
}

import Coaching
import Foundation

/// What a negotiation session reads in a linked conversation's events: the turns of the talk
/// (texts and calls, each with its party), and the GHL opportunity's value and outcome.
enum NegotiationFeed {
    /// The turns an event holds. The lead is the other side from the one the team represents;
    /// the agent speaks for it. A reply LiveHub sends appears as queued, then as sent: only the
    /// first is read. Unattributed call sentences count as the lead's (as for coaching).
    static func turns(from e: ConversationEvent, side: Side, conversationId: String) -> [SessionTurn] {
        switch e.kind {
        case .messageInbound, .messageOutbound:
            guard let m = try? e.decode(MessagePayload.self), !m.text.isEmpty else { return [] }
            let lead = e.kind == .messageInbound
            if !lead, let delivery = m.delivery, delivery != DeliveryState.queued.rawValue { return [] }
            return [SessionTurn(party: lead ? side.other : side, text: m.text, offer: nil, at: e.at, source: .text, conversationId: conversationId, by: m.userId)]
        case .callTranscribed:
            guard let call = try? e.decode(CallTranscribedPayload.self) else { return [] }
            var out: [SessionTurn] = []
            // Sentence by sentence, so that a price's party is the speaker's; consecutive
            // sentences of one speaker are one turn.
            var run: (speaker: CallSpeaker, text: [String])?
            func flush() {
                guard let r = run else { return }
                out.append(SessionTurn(party: r.speaker == .agent ? side : side.other, text: r.text.joined(separator: " "), offer: nil, at: e.at, source: .call, conversationId: conversationId, by: nil))
            }
            for s in call.sentences {
                let speaker: CallSpeaker = s.speaker == .agent ? .agent : .lead  // unknown: the lead's, as in coaching
                if run?.speaker == speaker { run?.text.append(s.text) } else {
                    flush()
                    run = (speaker, [s.text])
                }
            }
            flush()
            return out
        default:
            return []
        }
    }

    struct Deal {
        let value: Double?
        let closing: NegotiationStatus?
    }

    /// The session's opportunity's value and, when it ended, how. Another opportunity of the
    /// same contact is another deal: its changes are not this session's, and a session without
    /// an opportunity (opened on a conversation) reads none.
    static func deal(_ e: ConversationEvent, opportunity: String?) -> Deal? {
        guard e.kind == .dealUpdated, let d = try? e.decode(DealPayload.self), let opportunity, d.opportunityId == opportunity else { return nil }
        let status = d.status.flatMap { NegotiationStatus(rawValue: $0.lowercased()) }
        return Deal(value: d.monetaryValue.flatMap { $0 > 0 ? $0 : nil }, closing: status?.isClosed == true ? status : nil)
    }
}

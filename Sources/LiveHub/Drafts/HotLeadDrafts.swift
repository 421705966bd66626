import Actors
import Coaching
import Foundation

/// Automatic drafts: when a lead message scores hot in a location whose `drafts` settings enable
/// `autoForHotLeads`, a draft is made at once for the agent the conversation is assigned to (or
/// taken over by) and streamed to `agent:{userId}` on every node, through the bus. Runs on the
/// node that committed the message (its owner), in a task of its own, off the commit path.
struct HotLeadDrafts: Sendable {
    let drafts: DraftService
    let settings: any AutoResponderSettingsSource
    let bus: any EventBus
    /// The advice of a negotiation session, for the prompt.
    let advice: @Sendable (String) async -> NegotiationAdvice?

    func committed(_ commit: ConversationCommit) {
        // The state after the commit holds the lead message's tier: no payload to decode.
        let state = commit.state
        guard state.tier == .hot, let message = commit.events.first(where: { $0.kind == .messageInbound }) else { return }
        let draftSettings = settings.settings(for: state.locationId).drafts
        guard draftSettings.enabled, draftSettings.autoForHotLeads, let agent = state.takenOverBy ?? state.assignedTo, state.mayMessage(on: state.lastInboundChannel ?? "SMS") else { return }
        let bus = self.bus
        let drafts = self.drafts
        let advice = self.advice
        // The draft's frames go to the bus in the order they are made, from one task.
        let (frames, sink) = AsyncStream<ServerFrame>.makeStream()
        Task {
            for await frame in frames { await bus.publish(.toAgent(AgentFrame(user: agent, text: frame.text))) }
        }
        Task {
            let negotiation = if let id = state.negotiationId { await advice(id) } else { NegotiationAdvice?.none }
            await drafts.draft(state, settings: draftSettings, advice: negotiation, instruction: nil, now: message.at, trigger: "hot_lead") { sink.yield($0) }
            sink.finish()
        }
    }
}

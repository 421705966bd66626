import Actors
import Coaching
import Foundation
import Testing

@Suite("Event payloads")
struct PayloadEncodingTests {
    @Test("a payload that cannot be encoded fails the input loudly: nothing is stored, and never as {}")
    func unencodable() async throws {
        let store = RecordingStore()
        let actor = ConversationActor(
            state: ConversationState(conversationId: "c1", locationId: "l1", contactId: "k1"), engine: Fixture.engine, store: store,
            publisher: RecordingPublisher(), timers: ManualClock(), slaTarget: .seconds(60))
        let deal = DealPayload(opportunityId: "opp-1", monetaryValue: .nan, change: "OpportunityMonetaryValueUpdate")
        await #expect(throws: (any Error).self) { try await actor.submit(.dealUpdated(deal, at: 1)) }
        #expect(store.events.isEmpty)
        #expect(!store.events.contains { $0.data == Data("{}".utf8) })
        // The input failed alone: the actor is intact and takes the next one.
        #expect(actor.lease.isUsable)
        let next = try await actor.submit(.dealUpdated(DealPayload(opportunityId: "opp-1", monetaryValue: 430_000, change: "OpportunityMonetaryValueUpdate"), at: 2))
        #expect(next.map(\.seq) == [1])
    }
}

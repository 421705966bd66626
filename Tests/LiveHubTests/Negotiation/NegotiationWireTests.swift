import Actors
import Foundation
import Testing

@testable import LiveHub

@Suite("Negotiation events between nodes")
struct NegotiationWireTests {
    @Test("a session's commit crosses the bus wire unchanged: stream id, seq, kind and payload bytes")
    func roundTrip() throws {
        let events = (1...3).map { seq in
            ConversationEvent(conversationId: "negotiation:opp-1", seq: UInt64(seq), at: 1_700_000_000 + Double(seq), kind: .negotiationOffer, data: Data(#"{"n": \#(seq), "t":"é"}"#.utf8))
        }
        let sent = NegotiationEvents(negotiationId: "opp-1", locationId: "L1", events: events)
        let bytes = try #require(try BusWire.encode(.negotiation(sent), origin: "n1"))
        let (origin, received) = try BusWire.decode(bytes)
        #expect(origin == "n1")
        guard case .message(.negotiation(let got)) = received else {
            Issue.record("decoded as \(received)")
            return
        }
        #expect(got == sent)
    }
}

import Actors
import Foundation
import Testing

@testable import LiveHub

@Suite("Hostile values in webhooks")
struct HostileValueTests {
    @Test("a number GHL's JSON cannot carry (\"NaN\", \"inf\") is treated as absent: the event is stored with its other fields, never as {}")
    func nonFiniteNumbers() async throws {
        try await Harness.run { h in
            #expect(try await h.post(try GHLFixture.body("inbound-sms")).status == .ok)
            for (i, value) in ["NaN", "inf", "-infinity"].enumerated() {
                let body = try GHLFixture.body("opportunity-status-update", ["webhookId": "wh-opp-nan-\(i)", "monetaryValue": value])
                #expect(try await h.post(body).status == .ok)
            }
            let deals = try await h.events("conv-1").filter { $0.kind == .dealUpdated }
            #expect(deals.count == 3)
            for deal in deals {
                #expect(deal.data != Data("{}".utf8))
                let payload = try deal.decode(DealPayload.self)
                #expect(payload.opportunityId == "opp-1" && payload.monetaryValue == nil)
            }
        }
    }
}

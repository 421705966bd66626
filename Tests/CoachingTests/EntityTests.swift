import Coaching
import Testing

@Suite("Entities")
struct EntityTests {
    func money(_ text: String, listing: Double? = nil) -> [Double] { Support.analyze(text, listingPrice: listing).entities.money.map(\.amount) }

    @Test("money in its written forms", arguments: [
        ("we can do $450k", 450_000.0), ("offer 450,000", 450_000), ("450K max", 450_000), ("about 3.2k a month", 3_200),
        ("twenty five hundred a month", 2_500), ("pre-approved for 1.2 million", 1_200_000), ("$3,200 rent", 3_200),
        ("four hundred fifty thousand", 450_000), ("500 dollars deposit", 500), ("4.5 hundred thousand", 450_000),
    ])
    func moneyForms(_ c: (String, Double)) {
        #expect(money(c.0).contains(c.1), "\(c.0) → \(money(c.0))")
    }

    @Test("a bare number is a price in thousands when the listing makes it one")
    func contextual() {
        #expect(money("Would the seller take 415?", listing: 430_000) == [415_000])
        #expect(money("Would the seller take 415?").isEmpty)
        #expect(money("budget 400-420k") == [400_000, 420_000])
        #expect(money("how about 2900?", listing: 3_200) == [2_900])
    }

    @Test("room counts are never money")
    func rooms() {
        let a = Support.analyze("Looking for a 3 bed 2 bath, 3bd/2ba is fine, under $400k", listingPrice: 420_000)
        #expect(a.entities.rooms?.bedrooms == 3)
        #expect(a.entities.rooms?.bathrooms == 2)
        #expect(a.entities.money.map(\.amount) == [400_000])
        #expect(Support.analyze("two bedroom condo", listingPrice: 2).entities.money.isEmpty)
        #expect(Support.analyze("4 beds and 2.5 baths please").entities.rooms?.bathrooms == 2.5)
        let shorthand = Support.analyze("looking for a 3/2 with a pool").entities
        #expect(shorthand.rooms?.bedrooms == 3 && shorthand.rooms?.bathrooms == 2 && shorthand.dates.isEmpty)
        #expect(Support.analyze("we need 4+ bedrooms").entities.rooms?.bedrooms == 4)
        #expect(Support.analyze("can we see it 3/2 at noon").entities.dates.first?.month == 3)
    }

    @Test("percentages with their relation")
    func percent() {
        let p = Support.analyze("would they take 2 percent under asking?").entities.percentages
        #expect(p.first?.value == 2)
        #expect(p.first?.relation == .belowAsking)
        #expect(Support.analyze("5% over list").entities.percentages.first?.relation == .aboveAsking)
    }

    @Test("dates and times")
    func dates() {
        let d = Support.analyze("can we see it tomorrow after 5").entities.dates
        #expect(d.count == 1)
        #expect(d.first?.dayOffset == 1 && d.first?.hour == 17 && d.first?.qualifier == "after")
        let sat = Support.analyze("Saturday at 10am works").entities.dates.first
        #expect(sat?.weekday == 7 && sat?.hour == 10)
        #expect(Support.analyze("how about June 5th").entities.dates.first?.day == 5)
        #expect(Support.analyze("6/15 in the morning").entities.dates.first?.month == 6)
        #expect(Support.analyze("I sat down with my wife").entities.dates.isEmpty)
    }

    @Test("phones, e-mails and addresses")
    func contacts() {
        let a = Support.analyze("Call (555) 123-4567 or 555.987.6543, or email jo.smith+homes@example.com. We're at 1234 Oak Ridge Dr.")
        #expect(a.entities.phones.map(\.value) == ["5551234567", "5559876543"])
        #expect(a.entities.emails.map(\.value) == ["jo.smith+homes@example.com"])
        #expect(a.entities.addresses.map(\.text) == ["1234 oak ridge dr"])
        #expect(Support.analyze("+1 415 555 0192").entities.phones.first?.value == "4155550192")
        #expect(Support.analyze("the house at 45 1st St").entities.addresses.map(\.text) == ["45 1st st"])
    }

    @Test("pre-approval amount and loan type")
    func financing() {
        let a = Support.analyze("We got pre-approved for $380,000 with a VA loan")
        #expect(a.entities.preApproval?.amount == 380_000)
        #expect(a.entities.loanType?.type == .va)
        #expect(Support.analyze("all cash buyer here").entities.loanType?.type == .cash)
        #expect(Support.analyze("FHA or conventional?").entities.loanType?.type == .fha)
        #expect(Support.analyze("we live in VA now").entities.loanType == nil)
    }

    @Test("timeline horizons and urgency")
    func timeline() {
        #expect(Support.analyze("need to move asap").timeline.urgency == .immediate)
        #expect(Support.analyze("this weekend would be great").timeline.horizonDays == 4)
        #expect(Support.analyze("we want to buy in 3 months").timeline.horizonDays == 90)
        #expect(Support.analyze("before school starts").timeline.horizonDays == 75)
        #expect(Support.analyze("probably next year").timeline.horizonDays == 365)
        #expect(Support.analyze("within two weeks").timeline.horizonDays == 14)
        #expect(Support.analyze("nice kitchen").timeline.horizonDays == nil)
    }
}

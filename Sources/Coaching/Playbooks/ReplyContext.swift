/// What a reply may say about the lead, the agent and the property. A template that needs a
/// value missing here is not offered, so replies never promise what the context lacks.
public struct ReplyContext: Sendable, Hashable {
    public var leadFirstName: String?
    public var agentName: String?
    /// The listing being discussed.
    public var listing: Listing?
    /// Showing slots the agent has open, already phrased ("Sat 10am or Sun 2pm").
    public var showingTimes: [String]

    public init(leadFirstName: String? = nil, agentName: String? = nil, listing: Listing? = nil, showingTimes: [String] = []) {
        self.leadFirstName = leadFirstName
        self.agentName = agentName
        self.listing = listing
        self.showingTimes = showingTimes
    }

    func value(_ slot: Slot) -> String? {
        switch slot {
        case .leadFirstName: return leadFirstName.flatMap { $0.isEmpty ? nil : String($0.prefix(Slot.leadFirstName.maxLength)) }
        case .agentName: return agentName.flatMap { $0.isEmpty ? nil : String($0.prefix(Slot.agentName.maxLength)) }
        case .property: return listing?.address.map { String($0.prefix(Slot.property.maxLength)) }
        case .showingTimes:
            guard !showingTimes.isEmpty else { return nil }
            let joined = showingTimes.count == 1 ? showingTimes[0] : showingTimes.dropLast().joined(separator: ", ") + " or " + (showingTimes.last ?? "")
            return String(joined.prefix(Slot.showingTimes.maxLength))
        case .listingPrice: return listing?.price.map(Self.formatPrice)
        case .listingStatus:
            switch listing?.status {
            case .active: return "still available"
            case .pending: return "under contract"
            case .sold: return "sold"
            case .offMarket: return "off the market"
            case nil: return nil
            }
        }
    }

    /// "$450,000"; whole dollars.
    static func formatPrice(_ price: Double) -> String {
        let whole = Int(price.rounded())
        var digits = String(abs(whole))
        var groups: [Substring] = []
        while digits.count > 3 {
            groups.insert(digits.suffix(3), at: 0)
            digits.removeLast(3)
        }
        groups.insert(Substring(digits), at: 0)
        return "$" + groups.joined(separator: ",")
    }
}

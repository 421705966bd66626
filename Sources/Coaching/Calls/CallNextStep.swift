/// The next step a call ends on, found by phrase rules over the call's turns: an offer to
/// write, a showing, a listing appointment, a lender to talk to, documents to send, a call back.
/// When a call names several, the step that moves the deal furthest is the next step (in that
/// order: "let's see the house Saturday at 3, and I'll send the disclosures" books a showing), and of one
/// kind the last said, because calls close on what was agreed.
public struct CallNextStep: Sendable, Hashable, Codable {
    /// What the step is; raw values are the wire names.
    public enum Kind: String, Sendable, Hashable, Codable {
        case showing, offer, sendDocuments = "send_documents", callBack = "call_back", lender, listingAppointment = "listing_appointment"
        /// "See you Tuesday", "meet you at the house": a visit of a kind the call named before
        /// (a showing or a listing appointment); `meeting` only when it named none.
        case meeting

        /// How far the step moves the deal: the next step is the highest-ranked one named.
        var rank: Int {
            switch self {
            case .offer: return 5
            case .showing, .meeting: return 4
            case .listingAppointment: return 3
            case .lender: return 2
            case .sendDocuments: return 1
            case .callBack: return 0
            }
        }
    }

    public let kind: Kind
    /// The words that showed it ("see you at the house", "send you the disclosures").
    public let evidence: String
    /// What was to be sent, for `sendDocuments` ("disclosures").
    public let object: String?
    /// When, if a day or time was said beside it ("on Saturday at 3pm").
    public let when: String?

    /// The step as a short instruction: "Showing on Saturday at 3pm", "Send the disclosures".
    public var phrase: String {
        let base: String
        switch kind {
        case .showing: base = "Showing"
        case .offer: base = "Write up the offer"
        case .sendDocuments: base = "Send the \(object ?? "documents")"
        case .callBack: base = "Call back"
        case .lender: base = "Lender pre-approval"
        case .listingAppointment: base = "Listing appointment"
        case .meeting: base = "Meeting"
        }
        return when.map { "\(base) \($0)" } ?? base
    }
}

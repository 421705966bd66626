@testable import Coaching
import Foundation
import Testing

@Suite("Playbooks, replies and cards")
struct PlaybookTests {
    let context = ReplyContext(leadFirstName: "Dana", agentName: "Sam", listing: Listing(address: "12 Oak Ridge Dr", price: 430_000, status: .active), showingTimes: ["Sat 10am", "Sun 2pm"])

    func step(_ texts: [String], context: ReplyContext? = nil) -> CoachingStep? {
        var session = CoachingSession(reply: context ?? self.context, represented: .seller)
        var last: CoachingStep?
        for (i, t) in texts.enumerated() { last = Support.engine.step(&session, text: t, speaker: .lead, at: Double(i) * 60) }
        return last
    }

    func playbook(_ json: String) throws -> PlaybookSet { try PlaybookSet(json: Data(json.utf8)) }

    @Test("what an empty slot leaves behind is tidied: stray commas, doubled and edge spaces; other text untouched")
    func tidy() {
        #expect(ReplyComposer.tidy("Thanks, !") == "Thanks!")
        #expect(ReplyComposer.tidy("Great, . I'll call  you ?") == "Great. I'll call you?")
        #expect(ReplyComposer.tidy("  Hola, ! ¿Qué tal ,amigo?  ") == "Hola! ¿Qué tal,amigo?")
        #expect(ReplyComposer.tidy("Hi    there , ok") == "Hi there, ok")
        #expect(ReplyComposer.tidy("\tcafé 👍 ") == "café 👍")
        #expect(ReplyComposer.tidy("") == "")
    }

    @Test("broken playbooks fail with a message naming the entry")
    func validation() {
        let cases: [(String, String)] = [
            (#"{"format":"livehub-playbooks/1","replies":[{"id":"a","intent":"offer","text":"Hi {lead_name}"}],"cards":[]}"#, "unknown slot"),
            (#"{"format":"livehub-playbooks/1","replies":[{"id":"a","intent":"offer","text":"Hi {lead_first_name"}],"cards":[]}"#, "unclosed"),
            (#"{"format":"livehub-playbooks/1","replies":[{"id":"a","intent":"offer","text":"x"},{"id":"a","intent":"offer","text":"y"}],"cards":[]}"#, "used twice"),
            (#"{"format":"livehub-playbooks/1","replies":[{"id":"a","intent":"opt_out","text":"bye"}],"cards":[]}"#, "opt-out"),
            (#"{"format":"livehub-playbooks/1","replies":[{"id":"a","intent":"offer","text":"\#(String(repeating: "x", count: 300)) {property}"}],"cards":[]}"#, "320"),
            (#"{"format":"livehub-playbooks/1","replies":[{"id":"a","intent":"nonsense","text":"x"}],"cards":[]}"#, "intent"),
            (#"{"format":"livehub-playbooks/1","replies":[{"id":"a","text":"x"}],"cards":[]}"#, "neither"),
            (#"{"format":"livehub-playbooks/1","replies":[{"id":"a","intent":"offer","text":"x","requires":["agent_name"]}],"cards":[]}"#, "never uses"),
            (#"{"format":"v0","replies":[],"cards":[]}"#, "format"),
            (#"{"format":"livehub-playbooks/1","replies":["#, "JSON"),
        ]
        for (json, fragment) in cases {
            do {
                _ = try playbook(json)
                Issue.record("accepted a broken playbook: \(json)")
            } catch {
                #expect(String(describing: error).contains(fragment), "\(error) should mention \(fragment)")
            }
        }
    }

    @Test("the shipped playbook answers every intent but opt-out, and every objection")
    func coverage() throws {
        let p = try BundledResources.playbooks()
        for intent in Intent.allCases where intent != .optOut {
            #expect(p.replies.contains { $0.intent == intent }, "no reply for \(intent)")
        }
        for o in Objection.allCases {
            #expect(p.replies.contains { $0.objection == o } && p.cards.contains { $0.objection == o }, "\(o)")
        }
    }

    @Test("replies are slot-filled, SMS length, and vary by intent")
    func replies() throws {
        let showing = try #require(step(["Can we see it this weekend?"]))
        #expect((1...3).contains(showing.replies.count))
        #expect(showing.replies.first?.text.contains("Sat 10am or Sun 2pm") == true)
        #expect(showing.replies.allSatisfy { $0.text.count <= 320 && !$0.text.contains("{") })
        let anonymous = try #require(step(["is it still available?"], context: ReplyContext()))
        #expect(anonymous.replies.allSatisfy { !$0.text.contains(", .") && !$0.text.contains(", !") && !$0.text.contains("  ") && !$0.text.contains(", there") })
        let selling = try #require(step(["What's my home worth? thinking of selling"]))
        #expect(Set(selling.replies.map(\.text)).isDisjoint(with: showing.replies.map(\.text)))
    }

    @Test("no promise the context does not support")
    func noPromises() throws {
        let bare = try #require(step(["Can we see it this weekend?"], context: ReplyContext()))
        #expect(bare.replies.allSatisfy { !$0.text.contains("Sat 10am") })
        let unknownStatus = try #require(step(["is it still available?"], context: ReplyContext(listing: Listing(address: "12 Oak Ridge Dr"))))
        #expect(unknownStatus.replies.allSatisfy { !$0.text.contains("still available as of") })
    }

    @Test("autoSendable is false for offers, legal threats, complaints and human requests")
    func autoSend() throws {
        for text in ["Would the seller take 415?", "I'm going to sue you", "Is this a bot? I want a real person", "This is terrible, you people are rude and useless"] {
            let s = try #require(step([text]))
            #expect(s.replies.allSatisfy { !$0.autoSendable && $0.holdReason != nil }, "\(text)")
        }
        let ok = try #require(step(["Can we see it this weekend?"]))
        #expect(ok.replies.contains { $0.autoSendable })
    }

    @Test("no reply at all after an opt-out, on any later message")
    func optOut() throws {
        let s = try #require(step(["STOP"]))
        #expect(s.replies.isEmpty)
        #expect(s.cards.first?.kind == .compliance)
        let later = try #require(step(["STOP", "actually what's the price?"]))
        #expect(later.replies.isEmpty)
    }

    @Test("cards: objection handling, escalation, compliance")
    func cards() throws {
        let commission = try #require(step(["Why would I pay 6% commission? I'll sell it myself"]))
        #expect(commission.cards.contains { $0.kind == .objectionHandling && $0.title.contains("Commission") && !$0.evidence.isEmpty })
        let human = try #require(step(["are you a real person?"]))
        #expect(human.cards.contains { $0.kind == .escalation })
        let legal = try #require(step(["I will sue you"]))
        #expect(legal.cards.first?.priority == .critical)
    }
}

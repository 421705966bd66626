import Actors
import Coaching
import Testing

@Suite("Conversation coach actor")
struct ConversationCoachTests {
    let engine: CoachingEngine = {
        do { return try CoachingEngine.bundled() } catch { preconditionFailure("\(error)") }
    }()

    @Test("a lead message emits its events in the specified order with seq from 1")
    func order() async {
        let reply = ReplyContext(leadFirstName: "Dana", listing: Listing(address: "12 Oak Ridge Dr", price: 430_000, status: .active))
        let coach = ConversationCoach(conversationId: "c1", engine: engine, session: CoachingSession(reply: reply, represented: .seller))
        let events = await coach.receive(leadMessage: "Would the seller take 415? it's too expensive", at: 0)
        #expect(events.map(\.seq) == Array(1...UInt64(events.count)))
        let kinds = events.map(\.kind)
        #expect(Array(kinds.prefix(3)) == [.messageInbound, .analysis, .leadScored])
        #expect(kinds.last == .negotiationUpdated)
        let rank: [ConversationEvent.Kind: Int] = [.messageInbound: 0, .analysis: 1, .leadScored: 2, .coachingCard: 3, .replySuggested: 4, .negotiationUpdated: 5]
        #expect(kinds.map { rank[$0] ?? 9 } == kinds.map { rank[$0] ?? 9 }.sorted())
    }

    @Test("many concurrent messages: gap-free, and each message's events stay together")
    func concurrent() async {
        let coach = ConversationCoach(conversationId: "c2", engine: engine)
        let all = await withTaskGroup(of: [ConversationEvent].self) { group in
            for i in 0..<100 { group.addTask { await coach.receive(leadMessage: "message \(i): can we see it saturday?", at: Double(i)) } }
            var out: [[ConversationEvent]] = []
            for await batch in group { out.append(batch) }
            return out
        }
        let seqs = all.flatMap { $0.map(\.seq) }.sorted()
        #expect(seqs == Array(1...UInt64(seqs.count)))
        for batch in all { #expect(zip(batch, batch.dropFirst()).allSatisfy { $1.seq == $0.seq + 1 }) }
        #expect(await coach.head == UInt64(seqs.count))
    }
}

import Actors
import Coaching
import Foundation
import Testing

@Suite("Conversation actor")
struct ConversationActorTests {
    func actor(store: RecordingStore = RecordingStore(), publisher: RecordingPublisher = RecordingPublisher(), clock: ManualClock = ManualClock(), sla: Duration = .seconds(120)) -> ConversationActor {
        ConversationActor(state: ConversationState(conversationId: "c1", locationId: "L1", contactId: "k1"), engine: Fixture.engine, store: store, publisher: publisher, timers: clock, slaTarget: sla)
    }

    @Test("a lead message emits its events in the specified order, seq from 1, committed then published")
    func order() async throws {
        let store = RecordingStore()
        let publisher = RecordingPublisher()
        let a = actor(store: store, publisher: publisher)
        let events = try await a.submit(.inbound(Fixture.message("Is it still available? Can we see it Saturday? It's a bit too expensive"), at: 10))
        #expect(events.map(\.seq) == Array(1...UInt64(events.count)))
        let kinds = events.map(\.kind)
        #expect(Array(kinds.prefix(3)) == [.messageInbound, .analysis, .leadScored])
        let rank: [EventKind: Int] = [.messageInbound: 0, .analysis: 1, .leadScored: 2, .coachingCard: 3, .replySuggested: 4, .negotiationUpdated: 5]
        let ranked = kinds.compactMap { rank[$0] }
        #expect(ranked == ranked.sorted())
        #expect(kinds.contains(.coachingCard) && kinds.contains(.replySuggested))
        #expect(store.events == events && publisher.events == events)
    }

    @Test("many concurrent inputs: one gap-free sequence, stored and published in the same order")
    func concurrent() async throws {
        let store = RecordingStore()
        store.setDelay(.milliseconds(1))
        let publisher = RecordingPublisher()
        let a = actor(store: store, publisher: publisher)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<60 { group.addTask { try await a.submit(.inbound(Fixture.message("message \(i): can we see it saturday?"), at: Double(i))) } }
            try await group.waitForAll()
        }
        let stored = store.events.map(\.seq)
        #expect(stored == Array(1...UInt64(stored.count)))
        #expect(publisher.events.map(\.seq) == stored)
        #expect(await a.head == UInt64(stored.count))
    }

    @Test("inputs applied while a commit is on its way share the next one: fewer transactions than inputs, the same order")
    func batching() async throws {
        let store = RecordingStore()
        store.setDelay(.milliseconds(20))
        let publisher = RecordingPublisher()
        let a = actor(store: store, publisher: publisher)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<40 { group.addTask { try await a.submit(.inbound(Fixture.message("offer \(i)"), at: Double(i))) } }
            try await group.waitForAll()
        }
        #expect(store.batchSizes.reduce(0, +) == 40)
        #expect(store.batchSizes.count < 40 && store.batchSizes.max() ?? 0 > 1, "\(store.batchSizes)")
        let stored = store.events.map(\.seq)
        #expect(stored == Array(1...UInt64(stored.count)))
        #expect(publisher.events.map(\.seq) == stored)
    }

    @Test("a batch the store refuses is retried input by input: those before the bad one are stored, it gets the error, later ones are refused as broken")
    func batchFailure() async throws {
        let store = RecordingStore()
        let a = actor(store: store)
        try await a.submit(.inbound(Fixture.message("first"), at: 1))
        store.setDelay(.milliseconds(30))
        // The commit of "bad" is refused in any transaction; line up good, bad, late behind a slow one.
        store.refuse { $0.events.contains { (try? $0.decode(MessagePayload.self))?.text == "bad" } }
        let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
            for (i, text) in ["slow", "good", "bad", "late"].enumerated() {
                group.addTask { (text, (try? await a.submit(.inbound(Fixture.message(text), at: Double(2 + i)))) != nil) }
                try? await Task.sleep(for: .milliseconds(5))
            }
            return await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes == ["slow": true, "good": true, "bad": false, "late": false])
        #expect(a.lease.isBroken)
        let texts = store.events.compactMap { try? $0.decode(MessagePayload.self).text }
        #expect(texts == ["first", "slow", "good"])
        #expect(store.events.map(\.seq) == Array(1...UInt64(store.events.count)))
    }

    @Test("a failed commit breaks the actor: later inputs fail too, storage keeps no gap")
    func failure() async throws {
        let store = RecordingStore()
        let a = actor(store: store)
        try await a.submit(.inbound(Fixture.message("hello"), at: 1))
        let head = store.events.count
        store.failNextCommit()
        await #expect(throws: (any Error).self) { try await a.submit(.inbound(Fixture.message("second"), at: 2)) }
        #expect(a.lease.isBroken)
        await #expect(throws: (any Error).self) { try await a.submit(.inbound(Fixture.message("third"), at: 3)) }
        #expect(store.events.map(\.seq) == Array(1...UInt64(head)))
    }

    @Test("SLA: an unanswered lead message raises sla_breach on the injected clock; a human reply prevents it")
    func sla() async throws {
        let clock = ManualClock()
        let store = RecordingStore()
        let a = actor(store: store, clock: clock, sla: .seconds(120))
        try await a.submit(.inbound(Fixture.message("can we see it tomorrow?"), at: 1_000))
        while clock.sleeperCount == 0 { await Task.yield() }
        clock.advance(by: .seconds(119))
        #expect(!store.events.contains { $0.kind == .alert })
        clock.advance(by: .seconds(1))
        for _ in 0..<10_000 where !store.events.contains(where: { $0.kind == .alert }) { await Task.yield() }
        let alert = try #require(store.events.first { $0.kind == .alert })
        let payload = try alert.decode(AlertPayload.self)
        #expect(payload.reason == .slaBreach && payload.waitingSeconds == 120)

        let answered = RecordingStore()
        let clock2 = ManualClock()
        let b = actor(store: answered, clock: clock2)
        try await b.submit(.inbound(Fixture.message("can we see it tomorrow?"), at: 1_000))
        try await b.submit(.outbound(MessagePayload(channel: "SMS", text: "Sure, 5pm?", direction: "outbound", userId: "agent-1"), at: 1_030))
        clock2.advance(by: .seconds(600))
        for _ in 0..<200 { await Task.yield() }
        #expect(!answered.events.contains { $0.kind == .alert })
    }

    @Test("opt-out, human request and legal threat raise alerts; DND updates change opt-out state")
    func alerts() async throws {
        let store = RecordingStore()
        let a = actor(store: store)
        try await a.submit(.inbound(Fixture.message("is this a bot? I want a real person"), at: 1))
        try await a.submit(.inbound(Fixture.message("I will sue you"), at: 2))
        try await a.submit(.inbound(Fixture.message("STOP"), at: 3))
        let reasons = try store.events.filter { $0.kind == .alert }.map { try $0.decode(AlertPayload.self).reason }
        #expect(reasons.contains(.humanRequested) && reasons.contains(.legalThreat) && reasons.contains(.optOut))
        #expect(await a.currentSummary.optedOutChannels == ["SMS"])
        try await a.submit(.dndChanged(channels: ["Email", "SMS"], at: 4))
        #expect(try store.events.last { $0.kind == .optOutChanged }?.decode(OptOutPayload.self).channels == ["Email", "SMS"])
    }

    @Test("rehydration from stored history continues the sequence and the coaching session")
    func rehydrate() async throws {
        let store = RecordingStore()
        let a = actor(store: store)
        try await a.submit(.inbound(Fixture.message("we're pre-approved for 450k and want to see it asap"), at: 1))
        let state = await a.currentState
        let history = store.events.filter { $0.kind == .messageInbound || $0.kind == .messageOutbound }
        let b = ConversationActor(state: state, history: history, engine: Fixture.engine, store: store, publisher: RecordingPublisher(), timers: ManualClock(), slaTarget: .seconds(120))
        let next = try await b.submit(.inbound(Fixture.message("thanks!"), at: 2))
        #expect(next.first?.seq == state.head + 1)
        let score = try #require(next.first { $0.kind == .leadScored }).decode(LeadScore.self)
        #expect(score.reasons.contains { $0.contains("Pre-approved") })
    }
}

@Suite("Conversation directory")
struct ConversationDirectoryTests {
    @Test("idle actors leave memory and come back from storage on demand; busy ones stay")
    func passivation() async throws {
        let store = RecordingStore()
        let directory = ConversationDirectory(engine: Fixture.engine, store: store, publisher: RecordingPublisher(), timers: ManualClock(), slaTarget: .seconds(120), idleLimit: .zero)
        for i in 0..<2_000 {
            _ = try await directory.actor(for: "c\(i)", location: "L", contact: nil)
        }
        #expect(directory.liveCount == 2_000)
        #expect(await directory.passivateIdle() == 2_000)
        #expect(directory.liveCount == 0)
        let again = try await directory.actor(for: "c1", location: "L", contact: nil)
        let live = directory.liveCount
        #expect(again.conversationId == "c1" && live == 1)
    }

    @Test("at most maxLive actors stay in memory; the evicted ones come back from storage with their state")
    func bounded() async throws {
        let store = MemoryStore()
        let directory = ConversationDirectory(
            engine: Fixture.engine, store: store, publisher: RecordingPublisher(), timers: ManualClock(), slaTarget: .seconds(120), idleLimit: .seconds(3600),
            maxLive: 10)
        for i in 0..<25 {
            try await directory.submit(.whisper(from: "sup", to: nil, text: "note", at: Double(i)), to: "c\(i)", location: "L", contact: nil)
            #expect(directory.liveCount <= 10)
        }
        let first = try await directory.actor(for: "c0", location: "L", contact: nil)
        #expect(await first.head == 1)
        #expect(directory.liveCount <= 10)
    }

    @Test("a restarted conversation whose lead is still waiting gets its stored SLA check back, and alerts once")
    func slaAfterRestart() async throws {
        let store = RecordingStore()
        let clock = ManualClock()
        var state = ConversationState(conversationId: "c1", locationId: "L", contactId: nil)
        let since = Date().timeIntervalSince1970 - 100  // 100 s of the 120 s target already passed
        state.waitingSince = since
        state.head = 3
        let check = ScheduledItem(conversationId: "c1", dueAt: since + 120, token: 1, work: .slaCheck(waitingSince: since))
        let actor = ConversationActor(state: state, scheduled: [check], engine: Fixture.engine, store: store, publisher: RecordingPublisher(), timers: clock, slaTarget: .seconds(120))
        await actor.armStoredWork(now: Date().timeIntervalSince1970)
        while clock.sleeperCount == 0 { await Task.yield() }
        clock.advance(by: .seconds(19))
        for _ in 0..<200 { await Task.yield() }
        #expect(store.events.isEmpty)
        clock.advance(by: .seconds(2))
        for _ in 0..<10_000 where store.events.isEmpty { await Task.yield() }
        #expect(store.events.map(\.kind) == [.alert] && store.events.first?.seq == 4)
        // The commit that raised the alert removed the check: a restart finds nothing to arm.
        #expect(store.commits.last?.schedule == [.clear(.slaCheck)])
        let reloaded = ConversationActor(state: await actor.currentState, engine: Fixture.engine, store: store, publisher: RecordingPublisher(), timers: clock, slaTarget: .seconds(120))
        await reloaded.armStoredWork(now: Date().timeIntervalSince1970)
        for _ in 0..<200 { await Task.yield() }
        #expect(clock.sleeperCount == 0)
    }
}

import Actors
import Foundation
import LiveHub
import LiveHubPostgres
import LiveHubSQLite
import Synchronization
import Testing

/// The PostgreSQL adapter against a real PostgreSQL 15, and against the SQLite adapter: the
/// same writes must read back the same.
@Suite("Postgres storage")
struct PostgresStorageTests {
    /// Commits, in order, that exercise every part of a conversation's unit of work.
    static func sampleBatches() throws -> [[ConversationCommit]] {
        let sla = ScheduledItem(conversationId: "A", dueAt: 1_700_000_120, token: 7, work: .slaCheck(waitingSince: 1_700_000_000))
        let later = ScheduledItem(conversationId: "A", dueAt: 1_700_000_300, token: UInt64.max - 1, work: .slaCheck(waitingSince: 1_700_000_100))
        let other = ScheduledItem(conversationId: "B", dueAt: 1_700_000_200, token: 1, work: .slaCheck(waitingSince: 1_700_000_050))
        return [
            [
                try PG.commit("A", seqs: 1...3, at: 1_700_000_000, receipt: PG.receipt("w1", messageId: "m1"), outbox: .insert(PG.request("o1", conversation: "A")), schedule: [.set(sla)]),
                try PG.commit("A", seqs: 4...5, at: 1_700_000_010, receipt: PG.receipt("w2", messageId: nil), schedule: [.clear(.slaCheck), .set(later)]),
            ],
            [try PG.commit("B", location: "L2", contact: "k2", seqs: 1...1, at: 1_700_000_020, schedule: [.set(other)])],
            [try PG.commit("A", seqs: 6...6, at: 1_700_000_030, outbox: .update(outboxId: "o1", state: .sent, messageId: "g1", error: nil))],
            [try PG.commit("C", contact: "k1", seqs: 1...2, at: 1_700_000_005)],
        ]
    }

    /// Everything the reads return, in a form that compares (outbox times are the adapter's clock).
    struct Snapshot: Equatable {
        var loaded: [String: [String]] = [:]
        var events: [ConversationEvent] = []
        var allStates: [ConversationState] = []
        var l1States: [ConversationState] = []
        var refs: Set<ConversationRef> = []
        var due: [DueCursor] = []
        var outbox: [String] = []
        var duplicates: [Bool] = []

        init(_ s: ServerStorage) async throws {
            for id in ["A", "B", "C", "missing"] {
                guard let c = try await s.conversations.load(conversationId: id) else { loaded[id] = ["nil"]; continue }
                loaded[id] = ["\(c.state)", "\(c.history)", "\(c.scheduled)"]
            }
            events = try await s.conversations.events(conversationId: "A", after: 2, limit: 3)
            allStates = try await s.conversations.states(locationId: nil, limit: 10)
            l1States = try await s.conversations.states(locationId: "L1", limit: 1)
            refs = Set(try await s.conversations.conversations(ofContact: "k1"))
            // A page at a time, as the sweep reads.
            var cursor: DueCursor?
            while true {
                let page = try await s.conversations.dueWork(before: 1_700_000_250, after: cursor, limit: 1)
                guard let last = page.last else { break }
                due += page
                cursor = last
            }
            if let o = try await s.outbox.entry("o1") { outbox = ["\(o.request)", "\(o.state)", "\(o.attempts)", "\(o.dueAt)", "\(o.ghlMessageId ?? "-")"] }
            for (w, m) in [("w1", nil), ("wx", "m1"), ("wx", nil), ("wx", "mx"), ("w2", "mx")] as [(String, String?)] {
                duplicates.append(try await s.webhooks.isDuplicate(webhookId: w, messageId: m))
            }
        }
    }

    @Test("commits read back exactly as from the SQLite adapter: load, events, state, states, contacts, due work, outbox, receipts")
    func sameAsSQLite() async throws {
        let batches = try Self.sampleBatches()
        let sqlite = try SQLiteStorage(directory: FileManager.default.temporaryDirectory.appendingPathComponent("livehub-pgcmp-\(UUID().uuidString)")).ports
        for batch in batches { try await sqlite.conversations.commit(batch) }
        let expected = try await Snapshot(sqlite)
        try await PG.withStorage { storage, _ in
            for batch in batches { try await storage.ports.conversations.commit(batch) }
            let actual = try await Snapshot(storage.ports)
            #expect(actual == expected)
            #expect(actual.events.map(\.seq) == [3, 4, 5])
            #expect(actual.due.map(\.conversationId) == ["B"])
            // With its location, so that a cluster node can pass over work it does not own.
            #expect(actual.due.map(\.locationId) == ["L2"])
            #expect(actual.duplicates == [true, true, false, false, true])
            #expect(try await storage.ports.conversations.state(conversationId: "A")?.head == 6)
        }
    }

    @Test("a second commit of a stored webhook id or message id throws and writes nothing of itself")
    func duplicateReceipts() async throws {
        try await PG.withStorage { storage, _ in
            let store = storage.ports.conversations
            try await store.commit([try PG.commit("A", seqs: 1...1, at: 1, receipt: PG.receipt("w1", messageId: "m1"))])
            #expect(try await storage.ports.webhooks.isDuplicate(webhookId: "w1", messageId: nil))
            #expect(try await storage.ports.webhooks.isDuplicate(webhookId: "w9", messageId: "m1"))
            #expect(try await !storage.ports.webhooks.isDuplicate(webhookId: "w9", messageId: "m9"))
            for receipt in [PG.receipt("w1", messageId: nil), PG.receipt("w2", messageId: "m1")] {
                let error = await #expect(throws: PostgresStorageError.self) {
                    try await store.commit([try PG.commit("B", seqs: 1...1, at: 2, receipt: receipt, outbox: .insert(PG.request("o1", conversation: "B")))])
                }
                #expect(error?.isDuplicateKey == true)
                #expect(try await store.load(conversationId: "B") == nil)
                #expect(try await store.events(conversationId: "B", after: 0, limit: 10).isEmpty)
                #expect(try await storage.ports.outbox.entry("o1") == nil)
            }
            // The ledger's own commit refuses the duplicate too, and keeps none of its effects.
            let contact = ContactProfile(id: "k7", locationId: "L1")
            await #expect(throws: PostgresStorageError.self) {
                try await storage.ports.webhooks.commit(PG.receipt("w1", messageId: nil), effects: [.saveContact(contact)])
            }
            #expect(try await storage.ports.webhooks.contact("k7") == nil)
        }
    }

    @Test("two commits of one (conversation, seq): the second throws, nothing of it is written")
    func duplicateSeq() async throws {
        try await PG.withStorage { storage, _ in
            let store = storage.ports.conversations
            try await store.commit([try PG.commit("A", seqs: 1...2, at: 1)])
            let clash = try PG.commit(
                "A", seqs: 2...3, at: 2, receipt: PG.receipt("w5", messageId: "m5"), outbox: .insert(PG.request("o2", conversation: "A")),
                schedule: [.set(ScheduledItem(conversationId: "A", dueAt: 5, token: 1, work: .slaCheck(waitingSince: 1)))])
            let error = await #expect(throws: PostgresStorageError.self) { try await store.commit([clash]) }
            #expect(error?.isDuplicateKey == true)
            #expect(try await store.events(conversationId: "A", after: 0, limit: 10).map(\.seq) == [1, 2])
            #expect(try await store.state(conversationId: "A")?.head == 2)
            #expect(try await storage.ports.outbox.entry("o2") == nil)
            #expect(try await !storage.ports.webhooks.isDuplicate(webhookId: "w5", messageId: "m5"))
            #expect(try await store.load(conversationId: "A")?.scheduled.isEmpty == true)
            // A batch is all or nothing too: a good commit before the clash is not kept.
            await #expect(throws: PostgresStorageError.self) { try await store.commit([try PG.commit("A", seqs: 3...3, at: 3), try PG.commit("A", seqs: 3...4, at: 4)]) }
            #expect(try await store.state(conversationId: "A")?.head == 2)
        }
    }

    @Test("outbox transitions are conditional: each says whether it changed the row")
    func outboxTransitions() async throws {
        try await PG.withStorage { storage, _ in
            let outbox = storage.ports.outbox
            try await storage.ports.conversations.commit([try PG.commit("A", seqs: 1...1, at: 1, outbox: .insert(PG.request("o1", conversation: "A", text: "hi")))])
            try await storage.ports.conversations.commit([try PG.commit("A", seqs: 2...2, at: 2, outbox: .insert(PG.request("o2", conversation: "A")))])
            #expect(try await outbox.due(now: 10, limit: 10).map(\.request.outboxId) == ["o1", "o2"])
            #expect(try await outbox.markSending("o1", at: 5))
            #expect(try await !outbox.markSending("o1", at: 6))
            #expect(try await outbox.entry("o1")?.attempts == 1)
            #expect(try await outbox.match(conversationId: "A", messageId: nil, text: "hi")?.request.outboxId == "o1")
            #expect(try await outbox.unsettledCounts() == [.sending: 1, .queued: 1])
            try await outbox.requeue("o1", dueAt: 50)
            let requeued = try #require(try await outbox.entry("o1"))
            #expect(requeued.state == .queued && requeued.dueAt == 50 && requeued.sendingSince == nil)
            #expect(try await outbox.postpone("o1", until: 60))
            #expect(try await !outbox.claimCancel("o1", conversationId: "B"))
            #expect(try await outbox.claimCancel("o1", conversationId: "A"))
            #expect(try await !outbox.postpone("o1", until: 70))
            #expect(try await !outbox.markSending("o1", at: 8))
            // Pages in (created, id) order.
            let first = try await outbox.entries(state: .queued, after: nil, limit: 1)
            #expect(first.map(\.request.outboxId) == ["o2"])
            #expect(try await outbox.entries(state: .queued, after: first.last, limit: 1).isEmpty)
            try await storage.ports.conversations.commit([try PG.commit("A", seqs: 3...3, at: 3, outbox: .update(outboxId: "o2", state: .sent, messageId: "g2", error: nil))])
            #expect(try await outbox.match(conversationId: "A", messageId: "g2", text: "")?.state == .sent)
        }
    }

    @Test("ledger effects, settings and OAuth grants round trip; an uninstall forgets the grant; prune forgets old receipts")
    func otherPorts() async throws {
        try await PG.withStorage { storage, _ in
            let p = storage.ports
            let grant = OAuthGrant(locationId: "L1", companyId: nil, accessToken: "a", refreshToken: "r", expiresAt: Date(timeIntervalSince1970: 1_800_000_000.5), scope: "x y")
            try await p.credentials.save(grant)
            #expect(try await p.credentials.grant(location: "L1") == grant)
            var contact = ContactProfile(id: "k1", locationId: "L1")
            contact.firstName = "Ada"
            try await p.webhooks.commit(PG.receipt("w1", messageId: nil, at: 100), effects: [.saveContact(contact), .setInstalled(location: "L1", installed: false)])
            #expect(try await p.webhooks.contact("k1") == contact)
            #expect(try await p.webhooks.uninstalledLocations() == ["L1"])
            #expect(try await p.credentials.grant(location: "L1") == nil)
            try await p.webhooks.commit(PG.receipt("w2", messageId: "m2", at: 300), effects: [.setInstalled(location: "L1", installed: true)])
            #expect(try await p.webhooks.uninstalledLocations().isEmpty)
            try await p.webhooks.prune(olderThan: 200)
            #expect(try await !p.webhooks.isDuplicate(webhookId: "w1", messageId: nil))
            #expect(try await p.webhooks.isDuplicate(webhookId: "w2", messageId: "m2"))
            let settings = AutoResponderSettings(mode: .auto, timezone: "Europe/Paris")
            try await p.settings.save(settings, location: "L1", by: "u1", at: 5)
            try await p.settings.save(settings, location: "L2", by: "u1", at: 6)
            #expect(try await p.settings.all() == ["L1": settings, "L2": settings])
        }
    }

    @Test("health: writable, no backlog at rest, and each conversation commit's duration observed")
    func health() async throws {
        try await PG.withStorage { storage, _ in
            let seen = Locked<[Duration]>([])
            storage.ports.health.observeCommits { d in seen.value.withLock { $0.append(d) } }
            #expect(await storage.ports.health.isWritable())
            #expect(storage.ports.health.commitBacklog == 0)
            // Sequential commits, one input each: the latency a webhook waits for.
            let count = 100
            let start = ContinuousClock.now
            for i in 1...count { try await storage.ports.conversations.commit([try PG.commit("A", seqs: UInt64(i)...UInt64(i), at: Double(i))]) }
            let each = (ContinuousClock.now - start) / count
            let durations = seen.value.withLock { $0 }.sorted()
            #expect(durations.count == count)
            print("postgres commit: mean \(each), p50 \(durations[count / 2]), p99 \(durations[count * 99 / 100])")
        }
    }

    @Test("the storage refuses writes at twice maxCommitBacklog in flight")
    func backlog() async throws {
        try await PG.withStorage(maxCommitBacklog: 1) { storage, _ in
            let store = storage.ports.conversations
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 1...20 {
                    group.addTask {
                        do {
                            try await store.commit([try PG.commit("c\(i)", seqs: 1...1, at: 1)])
                            return true
                        } catch PostgresStorageError.overloaded {
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.contains(true) && outcomes.contains(false))
        }
    }
}

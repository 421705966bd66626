import Actors
import Coaching
import Foundation
import Testing

@testable import LiveHub
@testable import LiveHubPostgres
@testable import LiveHubSQLite

/// Negotiation sessions in both adapters: the same commits read back the same, a duplicate
/// `seq` writes nothing, and on PostgreSQL a commit under a lease that moved on is refused.
@Suite("Negotiation stores", .serialized)
struct NegotiationStoreTests {
    static func commit(_ session: inout NegotiationSession, kinds: [EventKind], at: Double) throws -> NegotiationCommit {
        var events: [ConversationEvent] = []
        for kind in kinds {
            session.head += 1
            events.append(ConversationEvent(conversationId: session.streamId, seq: session.head, at: at, kind: kind, data: Data(#"{"n":\#(session.head)}"#.utf8)))
        }
        return NegotiationCommit(events: events, session: session, sessionJSON: try PayloadEncoder.encode(session))
    }

    static func sample() throws -> (NegotiationSession, [NegotiationCommit]) {
        var s = NegotiationSession(id: "opp-9", locationId: "L1", opportunityId: "opp-9", listingPrice: 430_000, side: .seller, openedAt: 1, openedBy: "prices")
        s.conversationIds = ["A", "B"]
        let first = try commit(&s, kinds: [.negotiationOpened, .negotiationOffer, .negotiationUpdated], at: 10)
        s.offers.append(SessionOffer(party: .buyer, amount: 415_000, source: .call, conversationId: "B", by: nil, at: 20))
        s.cursors = ["A": 7, "B": 3]
        s.status = .won
        s.finalPrice = 421_000
        let second = try commit(&s, kinds: [.negotiationOffer, .negotiationClosed], at: 20)
        return (s, [first, second])
    }

    @Test("SQLite and PostgreSQL read a session and its stream back alike; a duplicate seq throws and writes nothing")
    func roundTrip() async throws {
        let (final, commits) = try Self.sample()
        let sqlite = try SQLiteStorage(directory: FileManager.default.temporaryDirectory.appendingPathComponent("livehub-neg-\(UUID().uuidString)")).ports
        try await PG.withStorage { pg, _ in
            for ports in [sqlite, pg.ports] {
                for c in commits { try await ports.negotiations.commit(c) }
                #expect(try await ports.negotiations.load(negotiationId: "opp-9") == final)
                #expect(try await ports.negotiations.load(negotiationId: "nope") == nil)
                let stream = try await ports.conversations.events(conversationId: "negotiation:opp-9", after: 0, limit: 100)
                #expect(stream.map(\.seq) == [1, 2, 3, 4, 5] && stream.last?.kind == .negotiationClosed)
                // The duplicate carries a changed session: a store that wrote the row outside the
                // failed transaction would show it.
                var changed = final
                changed.status = .lost
                let duplicate = NegotiationCommit(events: commits[1].events, session: changed, sessionJSON: try PayloadEncoder.encode(changed))
                await #expect(throws: (any Error).self) { try await ports.negotiations.commit(duplicate) }
                #expect(try await ports.negotiations.load(negotiationId: "opp-9") == final)
                #expect(try await ports.conversations.events(conversationId: "negotiation:opp-9", after: 0, limit: 100).count == 5)
            }
        }
    }

    @Test("PostgreSQL: a session's commit needs its location's lease, and one under an old epoch is refused")
    func fenced() async throws {
        let fence = TestFence()
        let (_, commits) = try Self.sample()
        try await PG.withStorage(fence: fence) { node, _ in
            try await node.cluster.prepare(shardCount: 64)
            let shard = ShardMap(count: 64).shard(ofLocation: "L1")
            await #expect(throws: ClusterError.notOwner(location: "L1")) { try await node.ports.negotiations.commit(commits[0]) }
            _ = try await node.cluster.acquire([shard], node: "n1", ttl: .seconds(30))
            let stale = FenceToken(node: "n1", shard: shard, epoch: 7)
            fence.set(stale)
            await #expect(throws: ClusterError.fenced(stale)) { try await node.ports.negotiations.commit(commits[0]) }
            #expect(try await node.ports.negotiations.load(negotiationId: "opp-9") == nil)
            fence.set(FenceToken(node: "n1", shard: shard, epoch: 1))
            try await node.ports.negotiations.commit(commits[0])
            #expect(try await node.ports.negotiations.load(negotiationId: "opp-9")?.head == 3)
        }
    }
}

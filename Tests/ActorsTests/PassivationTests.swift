import Actors
import Coaching
import Foundation
import Synchronization
import Testing

@Suite("Passivation")
struct PassivationTests {
    /// Every actor a caller was handed, kept alive as a slow caller would keep it.
    final class Handed: Sendable {
        private let actors = Mutex<[ConversationActor]>([])
        private let failed = Mutex(0)
        func add(_ a: ConversationActor) { actors.withLock { $0.append(a) } }
        func fail() { failed.withLock { $0 += 1 } }
        var failures: Int { failed.withLock { $0 } }
        var usable: Int { actors.withLock { Set($0.filter(\.lease.isUsable).map(ObjectIdentifier.init)).count } }
    }

    func submit(_ d: ConversationDirectory, _ input: ConversationInput, handed: Handed) async throws {
        handed.add(try await d.actor(for: "c1", location: "l1", contact: "k1"))
        try await d.submit(input, to: "c1", location: "l1", contact: "k1")
    }

    @Test("racing actor(for:) against passivation: one writer per conversation (no refused commit, seq gap-free) and the SLA timer fires once")
    func race() async throws {
        let store = MemoryStore()
        let clock = ManualClock()
        let directory = ConversationDirectory(
            engine: Fixture.engine, store: store, publisher: RecordingPublisher(), timers: clock, slaTarget: .seconds(60), idleLimit: .zero,
            keepWarmFor: .zero)
        let handed = Handed()
        // A lead message arms the SLA timer.
        try await submit(directory, .inbound(Fixture.message("Is it still available?"), at: Date().timeIntervalSince1970), handed: handed)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for _ in 0..<400 {
                    await directory.passivateIdle()
                    await Task.yield()
                }
            }
            for i in 0..<200 {
                group.addTask {
                    do {
                        try await submit(directory, .whisper(from: "sup", to: nil, text: "note \(i)", at: Date().timeIntervalSince1970), handed: handed)
                    } catch {
                        handed.fail()
                    }
                }
            }
        }
        #expect(handed.failures == 0)
        #expect(store.refusedCommits == 0)
        let seqs = store.events("c1").map(\.seq)
        #expect(seqs == Array(1...UInt64(max(seqs.count, 1))))
        // The SLA passes: whatever actors were handed out, one alert is raised (by the live actor,
        // loaded again here if the race ended with the conversation passivated).
        handed.add(try await directory.actor(for: "c1", location: "l1", contact: "k1"))
        clock.advance(by: .seconds(61))
        for _ in 0..<200 { try await Task.sleep(for: .milliseconds(5)) }
        let alerts = store.events("c1").filter { $0.kind == .alert }.compactMap { try? $0.decode(AlertPayload.self) }.filter { $0.reason == .slaBreach }
        #expect(alerts.count == 1)
        #expect(store.refusedCommits == 0)
        // Of all the actors handed out, at most one can still take inputs.
        #expect(handed.usable <= 1)
    }
}

import Actors
import Foundation
import Logging
import ServiceLifecycle

/// Background upkeep, run beside the HTTP server.
///
/// - At start and every `sweepPeriod`: conversations whose scheduled work (an SLA check, a held
///   automatic reply) falls due before the next sweep and that nobody holds in memory — since
///   a restart, or passivated — are loaded, which arms their timers; live ones whose work is a
///   whole period overdue (its firing failed) get their timers armed again.
/// - Every minute: idle conversations leave memory, and webhook receipts past the
///   de-duplication retention (7 days) are deleted.
/// - On graceful shutdown it waits for every conversation's commits in flight.
struct MaintenanceService: Service {
    let directory: ConversationDirectory
    /// Negotiation sessions: idle ones leave memory too, and shutdown waits for their commits.
    var negotiations: NegotiationDirectory? = nil
    let conversations: any ConversationRepository
    let webhooks: any WebhookLedger
    let clock: ServerClock
    let logger: Logger
    var sweepPeriod: Duration = .seconds(30)
    var upkeepPeriod: Duration = .seconds(60)
    static let webhookRetention: Double = 7 * 86_400

    func run() async throws {
        await sweep()
        await cancelWhenGracefulShutdown {
            var lastUpkeep = ContinuousClock.now
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: sweepPeriod)
                } catch {
                    break
                }
                await sweep()
                guard ContinuousClock.now - lastUpkeep >= upkeepPeriod else { continue }
                lastUpkeep = .now
                let passivated = await directory.passivateIdle()
                if passivated > 0 { logger.debug("passivated idle conversations", metadata: ["count": .stringConvertible(passivated)]) }
                await negotiations?.passivateIdle()
                do {
                    try await webhooks.prune(olderThan: clock.now() - Self.webhookRetention)
                } catch {
                    logger.warning("could not prune old webhook receipts", metadata: ["error": .string("\(error)")])
                }
            }
        }
        await directory.drainAll()
        await negotiations?.drainAll()
    }

    /// Loads the conversations with work due before the next sweep (twice the period ahead).
    func sweep() async {
        do {
            let now = clock.now()
            let loaded = try await DueWorkSweep(conversations: conversations, directory: directory, logger: logger).run(
                before: now + 2 * sweepPeriod.inSeconds, overdueBefore: now - sweepPeriod.inSeconds, now: now)
            if loaded > 0 { logger.debug("conversations loaded for scheduled work", metadata: ["count": .stringConvertible(loaded)]) }
        } catch {
            logger.error("scheduled work could not be read", metadata: ["error": .string("\(error)")])
        }
    }
}

/// One pass over the stored scheduled work, a page at a time, loading the conversations not in
/// memory whose work falls due before a time. A conversation that cannot be loaded is logged
/// and passed over: it must not hold up the work of the others.
struct DueWorkSweep: Sendable {
    let conversations: any ConversationRepository
    let directory: ConversationDirectory
    let logger: Logger
    var pageSize = 500

    /// Returns how many conversations were loaded.
    func run(before: Double, overdueBefore: Double, now: Double) async throws -> Int {
        var cursor: DueCursor?
        var loaded = 0
        while true {
            let page = try await conversations.dueWork(before: before, after: cursor, limit: pageSize)
            for due in page {
                // Another node of the cluster owns it and runs its work: not even loaded here.
                if let location = due.locationId, !directory.mayRun(location: location) { continue }
                if let live = directory.liveActor(due.conversationId) {
                    if due.dueAt < overdueBefore { await live.armStoredWork(now: now) }
                    continue
                }
                do {
                    if try await directory.existing(due.conversationId) != nil { loaded += 1 }
                } catch ConversationError.notOwned {
                    // Another node of the cluster owns it and runs its work.
                } catch {
                    logger.error("conversation with scheduled work could not be loaded", metadata: ["conversationId": .string(due.conversationId), "error": .string("\(error)")])
                }
            }
            guard page.count == pageSize, let last = page.last else { return loaded }
            cursor = last
        }
    }
}

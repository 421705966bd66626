import Actors
import Foundation
import Logging
import ServiceLifecycle

/// Background upkeep, run beside the HTTP server: every minute, idle conversations leave memory
/// and webhook receipts past the de-duplication retention (7 days) are deleted. On graceful
/// shutdown it waits for every conversation's commits in flight before the process exits.
struct MaintenanceService: Service {
    let directory: ConversationDirectory
    let store: SQLiteConversationStore
    let logger: Logger
    var period: Duration = .seconds(60)
    static let webhookRetention: Double = 7 * 86_400

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: period)
                } catch {
                    break
                }
                let passivated = await directory.passivateIdle()
                if passivated > 0 { logger.debug("passivated idle conversations", metadata: ["count": .stringConvertible(passivated)]) }
                do {
                    try await store.pruneWebhooks(olderThan: Date().timeIntervalSince1970 - Self.webhookRetention)
                } catch {
                    logger.warning("could not prune old webhook receipts", metadata: ["error": .string("\(error)")])
                }
            }
        }
        await directory.drainAll()
    }
}

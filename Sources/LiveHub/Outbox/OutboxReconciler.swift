import Actors
import Foundation
import Logging

/// Settles outbox entries whose send outcome is unknown and that GHL did not echo in time.
///
/// After `grace` in `sending`, the conversation's recent messages are looked up in GHL: if an
/// outbound message with exactly our text was created after the entry, the entry is `sent` with
/// that message's id; if GHL answers and it is not there, the message was not sent and goes back
/// to the queue. If GHL cannot be asked, nothing changes until the next round.
struct OutboxReconciler: Sendable {
    let outbox: any OutboxStore
    let client: GHLClient
    let sender: OutboxSender
    var grace: Double = 60
    let logger: Logger

    var pageSize = 100

    /// One round over every `sending` entry, a page at a time; returns how many were settled.
    @discardableResult
    func reconcile(now: Double) async -> Int {
        var settled = 0
        var cursor: OutboxEntry?
        while let page = try? await outbox.entries(state: .sending, after: cursor, limit: pageSize), let last = page.last {
            settled += await settle(page, now: now)
            guard page.count == pageSize else { break }
            cursor = last
        }
        return settled
    }

    private func settle(_ stuck: [OutboxEntry], now: Double) async -> Int {
        var settled = 0
        // In a cluster, each location's owner settles its own entries (its rate limit, its client).
        for entry in stuck where sender.owns(entry.request.locationId) && now - (entry.sendingSince ?? entry.createdAt) >= grace {
            let r = entry.request
            guard let recent = await client.recentMessages(conversationId: r.conversationId, location: r.locationId) else { continue }
            let match = recent.first { m in
                m.direction == "outbound" && m.body == r.text
                    && (m.dateAdded.flatMap(GHLWebhook.date).map { $0.timeIntervalSince1970 >= entry.createdAt - 5 } ?? true)
            }
            do {
                if let match {
                    try await sender.record(r, .sent, messageId: match.id, error: nil)
                } else {
                    try await outbox.requeue(r.outboxId, dueAt: now)
                    sender.notify()
                }
                settled += 1
            } catch {
                logger.warning("outbox entry not reconciled", metadata: ["outboxId": .string(r.outboxId)])
            }
        }
        return settled
    }
}

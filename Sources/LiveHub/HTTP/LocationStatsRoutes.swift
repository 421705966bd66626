import Actors
import Foundation
import Hummingbird
import Synchronization

/// `GET /v1/locations/{id}/stats` (supervisors and admins of the location): today's
/// first-response figures, the day taken in the location's time zone (its auto-responder
/// `timezone`). Computed from the event log, at most once per `freshness` per location.
struct LocationStatsRoutes: Sendable {
    let conversations: any ConversationRepository
    let autoSettings: SettingsRegistry
    let sla: Double
    let clock: ServerClock
    let cache: StatsCache

    /// Events read per conversation: the newest ones, enough for any day's messages.
    static let eventsPerConversation: UInt64 = 500

    struct Stats: ResponseEncodable, Equatable {
        let locationId: String
        let timezone: String
        let day: String
        let slaSeconds: Double
        let answered: Int
        let met: Int
        let breached: Int
        let waitingOverSla: Int
        let slaMetPercent: Double?
        let generatedAt: Double
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/locations/:id/stats") { _, context in
            let location = try context.parameters.require("id")
            let caller = try context.caller()
            guard TopicAccess.mayRead(caller, location: location) else { throw APIError.forbidden() }
            return try await stats(location)
        }
    }

    /// The cached figures while fresh; else one computation per location, which every caller
    /// arriving meanwhile shares.
    func stats(_ location: String) async throws -> Stats {
        let now = clock.now()
        if let fresh = cache.get(location, now: now) { return fresh }
        let task = cache.computing(location) { [self] in try await compute(location) }
        return try await task.value
    }

    func compute(_ location: String) async throws -> Stats {
        let now = clock.now()
        let zoneName = autoSettings.settings(for: location).timezone
        let zone = TimeZone(identifier: zoneName) ?? .gmt
        let dayStart = SLAReport.dayStart(now: now, zone: zone)
        var report = SLAReport()
        for state in try await conversations.states(locationId: location, limit: 2_000) {
            // Only conversations that moved today, or still wait, can count today.
            guard (state.lastMessageAt ?? 0) >= dayStart - sla || state.waitingSince != nil else { continue }
            let after = state.head > Self.eventsPerConversation ? state.head - Self.eventsPerConversation : 0
            let events = try await conversations.events(conversationId: state.conversationId, after: after, limit: Int(Self.eventsPerConversation))
            report.add(events, sla: sla, dayStart: dayStart, now: now)
        }
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = zone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        let stats = Stats(
            locationId: location, timezone: zone.identifier, day: formatter.string(from: Date(timeIntervalSince1970: now)), slaSeconds: sla,
            answered: report.answered, met: report.met, breached: report.breached, waitingOverSla: report.waitingOverSla,
            slaMetPercent: report.metPercent, generatedAt: now)
        cache.put(location, stats, now: now)
        return stats
    }
}

/// The last figures per location, reused for a few seconds (a busy board asks often), and the
/// computations under way, so that callers who miss the cache together scan the log once.
final class StatsCache: Sendable {
    private let entries = Mutex<[String: (at: Double, stats: LocationStatsRoutes.Stats)]>([:])
    private let running = Mutex<[String: Task<LocationStatsRoutes.Stats, any Error>]>([:])
    let freshness: Double

    /// The computation under way for `location`, or a new one started with `work`.
    func computing(_ location: String, _ work: @escaping @Sendable () async throws -> LocationStatsRoutes.Stats) -> Task<LocationStatsRoutes.Stats, any Error> {
        running.withLock { r in
            if let task = r[location] { return task }
            let task = Task {
                defer { _ = running.withLock { $0.removeValue(forKey: location) } }
                return try await work()
            }
            r[location] = task
            return task
        }
    }

    init(freshness: Double = 5) { self.freshness = freshness }

    func get(_ location: String, now: Double) -> LocationStatsRoutes.Stats? {
        entries.withLock { e in e[location].flatMap { now - $0.at < freshness ? $0.stats : nil } }
    }

    /// Forgets the figures (tests that change the log and read again at once).
    func clear() { entries.withLock { $0.removeAll() } }

    func put(_ location: String, _ stats: LocationStatsRoutes.Stats, now: Double) {
        entries.withLock { $0[location] = (now, stats) }
    }
}

import Foundation

/// GHL's limits per location: 100 requests per 10 s and 200,000 a day, refined by the
/// `X-RateLimit-*` headers of each response; after a 429 nothing is sent until the interval
/// resets. Time comes from an injected function so tests drive it with their clock.
///
/// **Bounded.** A location's state is dropped once it has been idle for a day (its daily count
/// has reset by then, so nothing is lost). Should more than `maxLocations` be tracked even so,
/// the idle ones with nothing in their 10 s window and no block are dropped, least recently
/// used first — forgetting at worst part of a daily count, which GHL's own
/// `X-RateLimit-Daily-Remaining` restores on the location's next response. So at most
/// `maxLocations` are tracked, plus those that sent within the last 10 s.
actor RateLimiter {
    struct Limits: Sendable {
        var perInterval = 100
        var interval: Duration = .seconds(10)
        var perDay = 200_000
    }

    private struct LocationState {
        var sent: [Duration] = []
        var dailyCount = 0
        var dailyRemaining: Int?
        var dayStart: Duration
        var blockedUntil: Duration?
        var lastUsed: Duration
    }

    private let now: @Sendable () -> Duration
    private let limits: Limits
    let maxLocations: Int
    private var states: [String: LocationState] = [:]
    private var lastSweep: Duration?
    /// Locations tracked now.
    var trackedLocations: Int { states.count }

    /// `now` is monotonic time since any fixed origin.
    init(limits: Limits = Limits(), maxLocations: Int = 100_000, now: @escaping @Sendable () -> Duration = RateLimiter.monotonic) {
        self.limits = limits
        self.maxLocations = max(1, maxLocations)
        self.now = now
    }

    private func state(_ location: String, at t: Duration) -> LocationState {
        if let s = states[location] { return s }
        if states.count >= maxLocations || lastSweep.map({ t - $0 >= .seconds(3600) }) ?? true { sweep(at: t) }
        return LocationState(dayStart: t, lastUsed: t)
    }

    /// Drops states idle for a day; then, over the bound, the least recently used quiet ones.
    private func sweep(at t: Duration) {
        lastSweep = t
        states = states.filter { t - $0.value.lastUsed < .seconds(86_400) }
        guard states.count >= maxLocations else { return }
        let quiet = states.filter { _, s in s.sent.allSatisfy { t - $0 >= limits.interval } && (s.blockedUntil.map { $0 <= t } ?? true) }
        for (location, _) in quiet.sorted(by: { $0.value.lastUsed < $1.value.lastUsed }).prefix(states.count - maxLocations + maxLocations / 10 + 1) {
            states[location] = nil
        }
    }

    static let origin = ContinuousClock.now
    @Sendable static func monotonic() -> Duration { ContinuousClock.now - origin }

    enum Decision: Equatable { case go, wait(Duration), dailyExhausted }

    /// Whether a request may go now (and counts it); if not, how long to wait.
    func decide(_ location: String) -> Decision {
        let t = now()
        var s = state(location, at: t)
        s.lastUsed = t
        defer { states[location] = s }
        if t - s.dayStart >= .seconds(86_400) {
            s.dayStart = t
            s.dailyCount = 0
            s.dailyRemaining = nil
        }
        if s.dailyCount >= limits.perDay || s.dailyRemaining == 0 { return .dailyExhausted }
        if let blocked = s.blockedUntil, blocked > t { return .wait(blocked - t) }
        s.sent.removeAll { t - $0 >= limits.interval }
        if s.sent.count >= limits.perInterval, let oldest = s.sent.first { return .wait(limits.interval - (t - oldest)) }
        s.sent.append(t)
        s.dailyCount += 1
        return .go
    }

    /// Records what GHL said about its limits: a 429, or a `remaining` of 0, blocks the location
    /// for `X-RateLimit-Interval-Milliseconds` (default the 10 s interval).
    func observe(_ location: String, status: Int, headers: [(String, String)]) {
        let t = now()
        var s = state(location, at: t)
        s.lastUsed = t
        defer { states[location] = s }
        func header(_ name: String) -> Int? { headers.first { $0.0.lowercased() == name }.flatMap { Int($0.1.trimmingCharacters(in: .whitespaces)) } }
        if let d = header("x-ratelimit-daily-remaining") { s.dailyRemaining = d }
        let intervalMs = header("x-ratelimit-interval-milliseconds") ?? Int(limits.interval.components.seconds * 1000)
        if status == 429 || header("x-ratelimit-remaining") == 0 {
            s.blockedUntil = t + .milliseconds(intervalMs)
        }
    }
}

import Foundation

/// GHL's limits per location: 100 requests per 10 s and 200,000 a day, refined by the
/// `X-RateLimit-*` headers of each response; after a 429 nothing is sent until the interval
/// resets. Time comes from an injected function so tests drive it with their clock.
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
    }

    private let now: @Sendable () -> Duration
    private let limits: Limits
    private var states: [String: LocationState] = [:]

    /// `now` is monotonic time since any fixed origin.
    init(limits: Limits = Limits(), now: @escaping @Sendable () -> Duration = RateLimiter.monotonic) {
        self.limits = limits
        self.now = now
    }

    static let origin = ContinuousClock.now
    @Sendable static func monotonic() -> Duration { ContinuousClock.now - origin }

    enum Decision: Equatable { case go, wait(Duration), dailyExhausted }

    /// Whether a request may go now (and counts it); if not, how long to wait.
    func decide(_ location: String) -> Decision {
        let t = now()
        var s = states[location] ?? LocationState(dayStart: t)
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
        var s = states[location] ?? LocationState(dayStart: t)
        defer { states[location] = s }
        func header(_ name: String) -> Int? { headers.first { $0.0.lowercased() == name }.flatMap { Int($0.1.trimmingCharacters(in: .whitespaces)) } }
        if let d = header("x-ratelimit-daily-remaining") { s.dailyRemaining = d }
        let intervalMs = header("x-ratelimit-interval-milliseconds") ?? Int(limits.interval.components.seconds * 1000)
        if status == 429 || header("x-ratelimit-remaining") == 0 {
            s.blockedUntil = t + .milliseconds(intervalMs)
        }
    }
}

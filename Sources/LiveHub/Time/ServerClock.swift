import Foundation

/// The time the server reads: wall time for what it records and decides (seconds since the
/// epoch), and the clock its timers sleep on. Tests drive both.
public struct ServerClock: Sendable {
    public let now: @Sendable () -> Double
    public let timers: any Clock<Duration>

    public init(now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }, timers: any Clock<Duration> = ContinuousClock()) {
        self.now = now
        self.timers = timers
    }

    public static let system = ServerClock()
}

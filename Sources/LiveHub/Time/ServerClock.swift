import Foundation

/// The time the server reads: wall time for what it records and decides (seconds since the
/// epoch), and the clock its timers sleep on. Tests drive both.
package struct ServerClock: Sendable {
    package let now: @Sendable () -> Double
    package let timers: any Clock<Duration>

    package init(now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }, timers: any Clock<Duration> = ContinuousClock()) {
        self.now = now
        self.timers = timers
    }

    package static let system = ServerClock()
}

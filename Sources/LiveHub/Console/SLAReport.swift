import Actors
import Foundation

/// First-response figures of one day, from a conversation's stored events: each lead message
/// that started a wait is answered by the next outbound message (a person's or the bot's).
/// Answered within the target is met; answered later, or still waiting past it, is breached.
package struct SLAReport: Sendable, Equatable, Encodable {
    package var answered = 0
    package var met = 0
    package var breached = 0
    /// Waits still open now, already past the target.
    package var waitingOverSla = 0

    /// Met, as a percentage of the waits that came due today; nil when none did.
    package var metPercent: Double? {
        let due = answered + waitingOverSla
        return due == 0 ? nil : (Double(met) / Double(due) * 1000).rounded() / 10
    }

    /// Adds one conversation's events (in `seq` order). Only waits answered, or breached,
    /// from `dayStart` on count.
    package mutating func add(_ events: [ConversationEvent], sla: Double, dayStart: Double, now: Double) {
        var waitStart: Double?
        for e in events {
            switch e.kind {
            case .messageInbound:
                if waitStart == nil { waitStart = e.at }
            case .messageOutbound:
                guard let start = waitStart else { continue }
                waitStart = nil
                guard e.at >= dayStart else { continue }
                answered += 1
                if e.at - start <= sla { met += 1 } else { breached += 1 }
            default:
                continue
            }
        }
        if let start = waitStart, now - start > sla, start + sla >= dayStart { waitingOverSla += 1 }
    }

    /// Midnight of `now`'s day in `zone`, as epoch seconds.
    package static func dayStart(now: Double, zone: TimeZone) -> Double {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.startOfDay(for: Date(timeIntervalSince1970: now)).timeIntervalSince1970
    }
}

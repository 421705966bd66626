import Synchronization

/// The clock of one streamed exchange: when it started, when its response head, its bytes and
/// its first text arrived, and so which deadline comes next. The exchange reports progress; a
/// watchdog task sleeps until the next deadline and, when one passes, records the timeout and
/// cancels the exchange's task.
///
/// Deadlines, in order of the exchange's phases:
/// - before the response head: start + min(first-token, idle) + `headSlack`. AsyncHTTPClient's
///   own deadline (`headDeadline`) ends this wait first and can report the connection error it
///   retried meanwhile; the watchdog is the backstop.
/// - before the first text: the earlier of start + first-token timeout and last bytes + idle.
/// - after it: last bytes + idle.
/// - once the reply is complete: `drainGrace` for reading the body's end, so the connection can
///   be reused.
/// A deadline only moves later within a phase, so the watchdog sleeps to it and re-checks; the
/// phase changes that can move it earlier (head, completion) restart the watchdog.
final class ExchangeWatch: Sendable {
    struct Snapshot {
        var status: Int?
        var firstDelta: ContinuousClock.Instant?
        var completed: ContinuousClock.Instant?
    }

    private struct State {
        var lastBytes: ContinuousClock.Instant
        var snapshot = Snapshot()
        var timedOut: ReplyModelError?
        var target: Task<Void, Never>?
        var watchdog: Task<Void, Never>?
        var stopped = false
    }

    static let drainGrace: Duration = .milliseconds(500)
    static let headSlack: Duration = .seconds(1)

    let start: ContinuousClock.Instant
    let firstTokenTimeout: Duration
    let idleTimeout: Duration
    private let state: Mutex<State>

    init(firstTokenTimeout: Duration, idleTimeout: Duration) {
        let now = ContinuousClock.now
        start = now
        self.firstTokenTimeout = firstTokenTimeout
        self.idleTimeout = idleTimeout
        state = Mutex(State(lastBytes: now))
    }

    var snapshot: Snapshot { state.withLock { $0.snapshot } }

    /// The timeout that cancelled the exchange, if one did.
    var timedOut: ReplyModelError? { state.withLock { $0.timedOut } }

    /// How long AsyncHTTPClient may wait for the response head, and the timeout that means.
    var headDeadline: (Duration, ReplyModelError) {
        firstTokenTimeout <= idleTimeout
            ? (firstTokenTimeout, .firstTokenTimeout(seconds: firstTokenTimeout.inSeconds))
            : (idleTimeout, .stalled(seconds: idleTimeout.inSeconds))
    }

    /// Starts watching; a passed deadline cancels `task`.
    func arm(cancelling task: Task<Void, Never>) {
        state.withLock { $0.target = task }
        restartWatchdog()
    }

    /// Stops watching for good (the exchange is over).
    func stop() {
        let watchdog = state.withLock { state in
            state.stopped = true
            defer { state.watchdog = nil }
            return state.watchdog
        }
        watchdog?.cancel()
    }

    func response(status: Int) {
        state.withLock {
            $0.snapshot.status = status
            $0.lastBytes = .now
        }
        restartWatchdog()
    }

    func bytes() { state.withLock { $0.lastBytes = .now } }

    func delta() {
        state.withLock { if $0.snapshot.firstDelta == nil { $0.snapshot.firstDelta = .now } }
    }

    func complete() {
        state.withLock { $0.snapshot.completed = .now }
        restartWatchdog()
    }

    /// The next deadline and the error it stands for.
    func nextDeadline() -> (ContinuousClock.Instant, ReplyModelError) {
        let head = headDeadline
        return state.withLock { state in
            if let completed = state.snapshot.completed {
                return (completed + Self.drainGrace, .stalled(seconds: Self.drainGrace.inSeconds))
            }
            if state.snapshot.status == nil { return (start + head.0 + Self.headSlack, head.1) }
            let idle = (state.lastBytes + idleTimeout, ReplyModelError.stalled(seconds: idleTimeout.inSeconds))
            if state.snapshot.firstDelta != nil { return idle }
            let firstToken = (start + firstTokenTimeout, ReplyModelError.firstTokenTimeout(seconds: firstTokenTimeout.inSeconds))
            return firstToken.0 <= idle.0 ? firstToken : idle
        }
    }

    private func restartWatchdog() {
        let watchdog = Task { await watch() }
        let previous = state.withLock { state -> Task<Void, Never>? in
            if state.stopped { return watchdog }
            defer { state.watchdog = watchdog }
            return state.watchdog
        }
        previous?.cancel()
    }

    private func watch() async {
        while !Task.isCancelled {
            let (deadline, failure) = nextDeadline()
            if ContinuousClock.now >= deadline {
                fire(failure)
                return
            }
            try? await Task.sleep(until: deadline, clock: .continuous)
        }
    }

    private func fire(_ failure: ReplyModelError) {
        let target = state.withLock { state -> Task<Void, Never>? in
            guard !state.stopped, state.timedOut == nil else { return nil }
            state.timedOut = failure
            return state.target
        }
        target?.cancel()
    }
}

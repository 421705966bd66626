import Synchronization

/// Who is told how long each group commit took (the server's metrics), added after the
/// database opened.
final class CommitObservers: Sendable {
    private let observers = Mutex<[@Sendable (Duration) -> Void]>([])

    func add(_ observer: @escaping @Sendable (Duration) -> Void) { observers.withLock { $0.append(observer) } }

    func notify(_ duration: Duration) {
        for observer in observers.withLock({ $0 }) { observer(duration) }
    }
}

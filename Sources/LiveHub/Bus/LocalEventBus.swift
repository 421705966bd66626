import Synchronization

/// The event bus of a single node: `publish` calls every subscriber in turn, in the caller's
/// task, so per-conversation commit order is kept and nothing is buffered.
package final class LocalEventBus: EventBus {
    private let subscribers = Mutex<[@Sendable (BusMessage) async -> Void]>([])

    package init() {}

    package func publish(_ message: BusMessage) async {
        for subscriber in subscribers.withLock({ $0 }) { await subscriber(message) }
    }

    package func subscribe(_ subscriber: @escaping @Sendable (BusMessage) async -> Void) {
        subscribers.withLock { $0.append(subscriber) }
    }
}

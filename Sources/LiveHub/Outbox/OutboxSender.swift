import Actors
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Works the outbox: each due entry is marked `sending` durably, sent through GHL, and its
/// outcome recorded by the conversation's actor (event and outbox row in one commit).
///
/// Outcomes: `sent` (GHL's messageId recorded) and `failed` (GHL refused: 400/422, no or
/// rejected credentials) are final. Rate limits put the entry back in the queue for later. A
/// timeout, 5xx or transport error leaves it `sending`: GHL may have accepted it, so it is not
/// sent again until reconciliation decides (see `OutboxReconciler`).
final class OutboxSender: Service, Sendable {
    let outbox: any OutboxStore
    let client: GHLClient
    let directory: ConversationDirectory
    let logger: Logger
    let paused: Bool
    /// Concurrent requests to GHL (each location is also held to its own rate limit).
    let maxInFlight = 64
    /// Outbox ids being sent now.
    private let inFlight = Mutex<Set<String>>([])
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    let metrics: ServerMetrics

    let clock: ServerClock
    let autoSettings: any AutoResponderSettingsSource
    /// Whether this node sends a location's messages: in a cluster only its owner does, which
    /// also keeps GHL's per-location rate limit, counted here, cluster-wide.
    let owns: @Sendable (String) -> Bool

    init(
        outbox: any OutboxStore, client: GHLClient, directory: ConversationDirectory, autoSettings: any AutoResponderSettingsSource, metrics: ServerMetrics,
        clock: ServerClock, logger: Logger, paused: Bool = false, owns: @escaping @Sendable (String) -> Bool = { _ in true }
    ) {
        self.owns = owns
        self.outbox = outbox
        self.clock = clock
        self.autoSettings = autoSettings
        self.metrics = metrics
        self.paused = paused
        self.client = client
        self.directory = directory
        self.logger = logger
        (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Settles unknown outcomes; set once at start-up (it needs the sender itself).
    let reconciler = Mutex<OutboxReconciler?>(nil)

    /// Something was queued: look now rather than at the next poll.
    func notify() { wake.yield() }

    func run() async throws {
        if paused {
            logger.warning("outbox paused: replies stay queued (LIVEHUB_OUTBOX_PAUSED)")
            try? await gracefulShutdown()
            return
        }
        let poll = Task { [wake] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                wake.yield()
            }
        }
        let reconcile = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(30))
                await self.reconciler.withLock { $0 }?.reconcile(now: self.clock.now())
            }
        }
        defer { reconcile.cancel() }
        defer { poll.cancel() }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for await _ in self.wakeups {
                    await self.startDue(in: &group)
                }
            }
        }
    }

    /// Starts due entries while fewer than `maxInFlight` sends are running. Each finished send
    /// rings again, so its slot goes to the next due entry at once: no reply waits for a batch
    /// (GHL answers in ~100 ms) and a hung request holds only its own slot.
    private func startDue(in group: inout DiscardingTaskGroup) async {
        let running = inFlight.withLock { $0.count }
        let free = maxInFlight - running
        guard free > 0 else { return }
        let due: [OutboxEntry]
        do {
            // At most `running` of the rows can be sends just started that still read as queued.
            due = try await outbox.due(now: clock.now(), limit: free + running)
        } catch {
            logger.error("outbox unreadable", metadata: ["error": .string("\(error)")])
            return
        }
        let fresh = inFlight.withLock { running in
            var picked: [OutboxEntry] = []
            for entry in due where picked.count < free && owns(entry.request.locationId) && running.insert(entry.request.outboxId).inserted {
                picked.append(entry)
            }
            return picked
        }
        for entry in fresh {
            group.addTask {
                await self.send(entry)
                self.inFlight.withLock { _ = $0.remove(entry.request.outboxId) }
                self.wake.yield()
            }
        }
    }

    func send(_ entry: OutboxEntry) async {
        let r = entry.request
        do {
            // The last moment to honour an opt-out: a reply queued before STOP is never sent after it.
            let actor = try await directory.actor(for: r.conversationId, location: r.locationId, contact: r.contactId)
            let state = await actor.currentState
            // And of the sending window, for what the bot sends: a reply queued in time may reach
            // this point after the window closed (a paused outbox, rate limits, GHL down).
            if r.origin == "auto", let opens = sendingWindowOpens(state), opens > clock.now() {
                if try await outbox.postpone(r.outboxId, until: opens) {
                    logger.info("automatic reply held for the sending window", metadata: ["outboxId": .string(r.outboxId), "until": .stringConvertible(opens)])
                }
                return
            }
            if !state.mayMessage(on: r.channel) {
                if try await outbox.markSending(r.outboxId, at: clock.now()) {
                    try await record(r, .failed, messageId: nil, error: "not sent: the lead opted out of \(r.channel)")
                }
                return
            }
            // A cluster node that lost the location meanwhile leaves it queued for the owner.
            guard owns(r.locationId) else { return }
            guard try await outbox.markSending(r.outboxId, at: clock.now()) else { return }  // cancelled meanwhile
        } catch {
            logger.error("outbox entry not claimed", metadata: ["outboxId": .string(r.outboxId)])
            return
        }
        let started = ContinuousClock.now
        let result = await client.send(GHLSendRequest(type: Self.ghlType(r.channel), contactId: r.contactId, message: r.text), location: r.locationId)
        metrics.ghlSend(result.label, ContinuousClock.now - started)
        do {
            switch result {
            case .sent(let messageId, _, _):
                try await record(r, .sent, messageId: messageId, error: nil)
            case .rejected(let status, let message):
                try await record(r, .failed, messageId: nil, error: "GHL refused the message (\(status)): \(message)")
            case .unauthorized(let why):
                try await record(r, .failed, messageId: nil, error: "GHL refused the location's credentials: \(why)")
            case .noCredentials:
                try await record(r, .failed, messageId: nil, error: "no GHL credentials for location \(r.locationId)")
            case .rateLimited(let after):
                try await outbox.requeue(r.outboxId, dueAt: clock.now() + after.inSeconds)
            case .notDelivered, .serverError(502), .serverError(503):
                // Provably not sent: try again shortly.
                try await outbox.requeue(r.outboxId, dueAt: clock.now() + 5)
            case .serverError, .timeout, .transport:
                logger.warning("outbox send outcome unknown; left for reconciliation", metadata: ["outboxId": .string(r.outboxId)])
            }
        } catch {
            logger.error("outbox outcome not recorded", metadata: ["outboxId": .string(r.outboxId), "error": .string("\(error)")])
        }
    }

    /// When the contact's sending window next opens (now, when it is open).
    private func sendingWindowOpens(_ state: ConversationState) -> Double? {
        let settings = autoSettings.settings(for: state.locationId)
        return AutoResponderPolicy.nextAllowed(clock.now(), zone: AutoResponderPolicy.zone(contact: state.contactTimezone, settings), settings)
    }

    func record(_ r: OutboundRequest, _ state: DeliveryState, messageId: String?, error: String?) async throws {
        let outcome = ConversationInput.delivery(
            outboxId: r.outboxId, text: r.text, channel: r.channel, state: state, messageId: messageId, error: error, at: clock.now())
        try await directory.submit(outcome, to: r.conversationId, location: r.locationId, contact: r.contactId)
    }

    /// GHL's send `type` for a conversation channel.
    static func ghlType(_ channel: String) -> String {
        ["SMS", "Email", "WhatsApp", "IG", "FB", "Live_Chat", "Custom", "RCS"].contains(channel) ? channel : "SMS"
    }
}

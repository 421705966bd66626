import Synchronization

/// The gateway's side of one open WebSocket: its `Connection` (subscriptions and outbound
/// queue), and its client messages handled one at a time, in the order they came.
///
/// A task runs only while something waits in the inbox, so an idle connection holds none. The
/// inbox is bounded: past `inboxLimit` waiting messages the socket stops reading until the inbox
/// is half empty; and a message is handled only when the outbound queue has room for its
/// answer. A client that sends faster than it reads is slowed down by TCP; nothing is dropped. Opening and closing go
/// through the same inbox, so an agent's presence goes online before it goes offline.
final class ClientSession: WebSocketPeer {
    private enum Item {
        case opened
        case message(ClientMessage)
        case closed
    }

    private struct Inbox {
        var items: [Item] = []
        var running = false
        var paused = false
        var closed = false
    }

    let connection: Connection
    private let gateway: WebSocketGateway
    private let socket: any WebSocketOutput
    private let inbox = Mutex(Inbox())
    static let inboxLimit = 64

    init(token: AccessToken, gateway: WebSocketGateway, socket: any WebSocketOutput) {
        self.connection = Connection(token: token, hub: gateway.hub, queueLimit: gateway.config.outboundQueueLimit)
        self.gateway = gateway
        self.socket = socket
        connection.attach(socket)
        gateway.metrics.connectionOpened()
        gateway.registry.add(connection) { socket.close(.goingAway, reason: "server shutting down") }
        connection.send(gateway.hello(token))
        post(.opened)
    }

    func takeFrames() -> [ServerFrame]? {
        connection.queue.takeOrStop()
    }

    func received(_ message: ClientMessage) -> Bool {
        post(.message(message))
    }

    func closed() {
        connection.closeAll()
        gateway.registry.remove(connection)
        gateway.metrics.connectionClosed()
        post(.closed)
    }

    /// Queues `item`, starting the task that works the inbox if none runs; false when the inbox
    /// is full and reading should pause.
    @discardableResult
    private func post(_ item: Item) -> Bool {
        let (start, keepReading): (Bool, Bool) = inbox.withLock { s in
            guard !s.closed else { return (false, true) }
            if case .closed = item { s.closed = true }
            s.items.append(item)
            let full = s.items.count >= Self.inboxLimit
            if full { s.paused = true }
            if s.running { return (false, !full) }
            s.running = true
            return (true, !full)
        }
        if start { Task { await self.work() } }
        return keepReading
    }

    private func work() async {
        while let item = next() {
            switch item {
            case .opened:
                await gateway.presence(connection.token, online: true)
            case .message(let message):
                // What a client sent before it went away is still carried out (as when it
                // stays); only subscriptions are refused once it is gone (`beginReplay`).
                await connection.queue.waitForRoom()
                if await !gateway.handle(message, connection) {
                    socket.close(.policyViolation, reason: "too many bad frames")
                }
            case .closed:
                await gateway.presence(connection.token, online: false)
            }
        }
    }

    /// The next item, or nil — and the task marked stopped — when the inbox is empty. Resumes
    /// reading once a paused inbox is half empty.
    private func next() -> Item? {
        let (item, resume): (Item?, Bool) = inbox.withLock { s in
            guard !s.items.isEmpty else {
                s.running = false
                return (nil, false)
            }
            let item = s.items.removeFirst()
            if s.paused, s.items.count <= Self.inboxLimit / 2 {
                s.paused = false
                return (item, true)
            }
            return (item, false)
        }
        if resume { socket.resumeReading() }
        return item
    }
}

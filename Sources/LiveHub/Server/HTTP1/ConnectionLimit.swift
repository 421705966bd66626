import NIOCore
import Synchronization

/// Counts the server's open connections (HTTP and WebSocket alike) and turns away those past
/// `maximum`: they are answered `503` with `Retry-After` and closed at once, so a flood of
/// connections cannot exhaust file descriptors or memory, and a client learns why.
final class ConnectionLimit: Sendable {
    let maximum: Int
    private let open = Atomic<Int>(0)
    private let onRefusal: @Sendable () -> Void

    init(maximum: Int, onRefusal: @escaping @Sendable () -> Void = {}) {
        self.maximum = maximum
        self.onRefusal = onRefusal
    }

    /// Takes a slot for `channel`, freed when it closes; false (and no slot) when none is left.
    func admit(_ channel: any Channel) -> Bool {
        guard open.add(1, ordering: .relaxed).newValue <= maximum else {
            open.subtract(1, ordering: .relaxed)
            onRefusal()
            return false
        }
        channel.closeFuture.whenComplete { _ in self.open.subtract(1, ordering: .relaxed) }
        return true
    }
}

/// The whole pipeline of a connection turned away: once the connection is active it is
/// answered 503, its output closed (so the client reads the answer rather than a reset), and
/// the connection closed a second later whatever the client does.
final class TurnAway: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private var answered = false

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { answer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        answer(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    private func answer(_ context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        let text = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: text))).whenComplete { _ in
            let context = loopBound.value
            context.close(mode: .output, promise: nil)
            context.eventLoop.scheduleTask(in: .seconds(1)) { loopBound.value.close(promise: nil) }
        }
    }
}

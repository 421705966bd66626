import NIOCore
import NIOWebSocket

/// Serves one upgraded WebSocket on its event loop, with no task of its own: an idle connection
/// costs its channel, this handler and the application's peer, nothing more.
///
/// - Client messages (fragments already joined by `NIOWebSocketFrameAggregator`) go to the
///   peer; when the peer has enough waiting, reading pauses until it asks for more.
/// - Outbound frames wait in the peer; `framesWaiting` schedules one drain on the event loop,
///   which writes everything queued (each frame's wire bytes, encoded once for all watchers)
///   and flushes once. While the socket is not writable the
///   drain stops, and resumes when it is, so a slow reader's backlog stays in the peer's
///   bounded queue rather than in the channel.
/// - Pings are answered; the server pings every `pingInterval` and closes (1001) a connection
///   from which nothing at all (no pong, no message) came since the previous ping — unless
///   reading is paused, which would hide its pongs. A close from the client is echoed, then the
///   connection closes; shutdown (`ChannelShouldQuiesceEvent`) closes with 1001. A close frame
///   the peer does not take (it stopped reading) does not hold the connection: it is closed
///   `closeTimeout` later regardless.
final class WebSocketChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let session: WebSocketSession
    private let pingInterval: TimeAmount
    private var context: ChannelHandlerContext?
    /// The frame encoder's context: writing there puts a `ServerFrame`'s ready-made wire bytes
    /// past the encoder, straight towards the socket (control frames still go through it).
    private var encoder: ChannelHandlerContext?
    private var peer: (any WebSocketPeer)?
    private var pinger: RepeatedTask?
    /// Nothing came from the peer since the last ping.
    private var awaitingPong = false
    /// Reading is paused because the peer (the application) has enough waiting.
    private var readingPaused = false
    private var closing = false
    private var forceClose: Scheduled<Void>?
    static let closeTimeout: TimeAmount = .seconds(5)

    init(session: @escaping WebSocketSession, pingInterval: Duration) {
        self.session = session
        self.pingInterval = TimeAmount(pingInterval)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        encoder = try? context.pipeline.syncOperations.context(handlerType: WebSocketFrameEncoder.self)
        let output = Output(handler: NIOLoopBound(self, eventLoop: context.eventLoop), eventLoop: context.eventLoop)
        peer = session(output)
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        pinger = context.eventLoop.scheduleRepeatedTask(initialDelay: pingInterval, delay: pingInterval) { _ in bound.value.ping() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        end()
        self.context = nil
        encoder = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        end()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        awaitingPong = false  // anything from the peer shows it is there
        switch frame.opcode {
        case .text:
            deliver(.text(String(buffer: frame.unmaskedData)), context)
        case .binary:
            deliver(.binary(frame.unmaskedData), context)
        case .ping:
            guard !closing else { return }
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .pong:
            break
        case .connectionClose:
            // Echo the client's code (RFC 6455 §5.5.1), then close; codes that must never be
            // sent on the wire (no code, 1005, 1006, 1015) become 1000.
            var data = frame.unmaskedData
            let code = data.readWebSocketErrorCode().flatMap { Self.sendable($0) ? $0 : nil } ?? .normalClosure
            close(code, reason: "", context)
        default:
            close(.protocolError, reason: "unexpected frame", context)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { drain() }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            close(.goingAway, reason: "server shutting down", context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The aggregator's refusals; the frame decoder's own errors were answered by NIO's
        // protocol error handler already.
        switch error as? NIOWebSocketFrameAggregator.Error {
        case .accumulatedFrameSizeIsTooLarge?, .tooManyFragments?:
            close(.messageTooLarge, reason: "message too large", context)
        case .some:
            close(.protocolError, reason: "invalid fragments", context)
        case nil:
            context.close(promise: nil)
        }
    }

    private func deliver(_ message: ClientMessage, _ context: ChannelHandlerContext) {
        guard !closing, let peer else { return }
        if !peer.received(message) {
            readingPaused = true
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        }
    }

    fileprivate func resumeReading() {
        guard let context, !closing else { return }
        readingPaused = false
        context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
        context.read()
    }

    /// Writes what the peer has queued while the socket takes it, then flushes once.
    fileprivate func drain() {
        guard let context, let peer, !closing else { return }
        var wrote = false
        while context.channel.isWritable, let frames = peer.takeFrames() {
            for frame in frames {
                if let encoder {
                    encoder.write(NIOAny(frame.wire), promise: nil)
                } else {
                    context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: frame.json)), promise: nil)
                }
            }
            wrote = true
        }
        if wrote { context.flush() }
    }

    private func ping() {
        guard let context, !closing else { return }
        if awaitingPong, !readingPaused {
            close(.goingAway, reason: "ping timeout", context)
            return
        }
        awaitingPong = true
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .ping, data: context.channel.allocator.buffer(string: "livehub"))), promise: nil)
    }

    fileprivate func close(_ code: WebSocketErrorCode, reason: String) {
        guard let context else { return }
        close(code, reason: reason, context)
    }

    /// Sends a close frame (once), then closes the connection when it is written.
    private func close(_ code: WebSocketErrorCode, reason: String, _ context: ChannelHandlerContext) {
        guard !closing else { return }
        closing = true
        var data = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        data.write(webSocketErrorCode: code)
        data.writeString(reason)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data))).whenComplete { _ in
            channel.close(promise: nil)
        }
        forceClose = context.eventLoop.scheduleTask(in: Self.closeTimeout) { channel.close(promise: nil) }
    }

    /// Whether a close code may be sent on the wire (RFC 6455 §7.4.1).
    static func sendable(_ code: WebSocketErrorCode) -> Bool {
        switch code {
        case .unknown(let raw): return (3000...4999).contains(raw) || (1000...1014).contains(raw) && ![1004, 1005, 1006].contains(raw)
        default: return true
        }
    }

    /// The connection is gone: the peer hears it once, the pinger stops.
    private func end() {
        pinger?.cancel()
        pinger = nil
        forceClose?.cancel()
        forceClose = nil
        closing = true
        if let peer {
            self.peer = nil
            peer.closed()
        }
    }

    /// What the peer holds to reach this handler from any thread.
    private final class Output: WebSocketOutput {
        let handler: NIOLoopBound<WebSocketChannelHandler>
        let eventLoop: any EventLoop

        init(handler: NIOLoopBound<WebSocketChannelHandler>, eventLoop: any EventLoop) {
            self.handler = handler
            self.eventLoop = eventLoop
        }

        func framesWaiting() {
            // Called when the peer's queue stops being empty (not per frame), so one task on the
            // loop per burst; never inline, so a drain cannot re-enter the handler.
            eventLoop.execute { self.handler.value.drain() }
        }

        func resumeReading() {
            eventLoop.execute { self.handler.value.resumeReading() }
        }

        func close(_ code: WebSocketErrorCode, reason: String) {
            eventLoop.execute { self.handler.value.close(code, reason: reason) }
        }
    }
}

import NIOCore
import NIOHTTPTypes

/// Closes a connection that has not delivered its first request head within `limit` of
/// opening: a client that connects and says nothing, or trickles a head byte by byte (a
/// slow-loris), holds a connection slot only that long. It sits first in the pipeline, sees the
/// raw bytes, and removes itself as soon as the blank line ending the head has arrived; later
/// requests on the connection are watched by the idle timeout and `RequestDeadline`.
final class FirstRequestHeadDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let limit: TimeAmount
    private var timer: Scheduled<Void>?
    /// Line breaks seen in a row (a `\r` before a `\n` does not break the run).
    private var lineBreaks = 0
    /// Whether the request line has begun: line breaks before it (which HTTP parsers skip) end
    /// nothing, or a client could switch the deadline off by sending them first.
    private var started = false

    init(limit: TimeAmount) {
        self.limit = limit
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let complete = headEnds(in: unwrapInboundIn(data))
        context.fireChannelRead(data)
        if complete {
            timer?.cancel()
            timer = nil
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    private func headEnds(in buffer: ByteBuffer) -> Bool {
        for byte in buffer.readableBytesView {
            switch byte {
            case UInt8(ascii: "\n"):
                guard started else { continue }
                lineBreaks += 1
                if lineBreaks == 2 { return true }
            case UInt8(ascii: "\r"):
                break
            default:
                started = true
                lineBreaks = 0
            }
        }
        return false
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard timer == nil else { return }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: limit) {
            let context = loopBound.value
            // Raw bytes: the HTTP encoder may not be in the pipeline yet.
            let answer = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
            context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: answer))).whenComplete { _ in loopBound.value.close(promise: nil) }
        }
    }
}

/// Closes a connection whose request has not been read and answered within `limit` of its
/// head: a client that sends part of a body and goes quiet, trickles it, or never reads the
/// answer (so that writing it never ends) cannot hold a request — and with it a graceful
/// shutdown — open. Sits after HTTP decoding; the timer runs from a request's head to the end of
/// its response.
final class RequestDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limit: TimeAmount
    private var timer: Scheduled<Void>?

    init(limit: TimeAmount) {
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) {
            timer?.cancel()
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            timer = context.eventLoop.scheduleTask(in: limit) { loopBound.value.close(promise: nil) }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        // The answer is complete once its end is written (not merely handed over).
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenComplete { _ in
            loopBound.value.timer?.cancel()
            loopBound.value.timer = nil
        }
        written.futureResult.cascade(to: promise)
        context.write(data, promise: written)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }
}

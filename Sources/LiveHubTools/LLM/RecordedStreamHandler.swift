import NIOCore
import NIOHTTP1

/// Serves one connection of a `RecordedStreamServer`: gathers each request, then plays its
/// script with writes scheduled on the connection's event loop, so that a client closing the
/// connection is seen at once and stops the playback.
final class RecordedStreamHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The longest request body kept; the rest is dropped (requests are small JSON).
    private static let bodyLimit = 4 << 20

    private let server: RecordedStreamServer
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    /// The response being played: its exchange number and the pending delayed write.
    private var playing: (exchange: Int, pending: Scheduled<Void>?)?

    init(server: RecordedStreamServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.removeAll()
        case .body(let buffer):
            body += buffer.readableBytesView.prefix(Self.bodyLimit - body.count)
        case .end:
            guard let head else { return }
            self.head = nil
            var headers: [String: String] = [:]
            for (name, value) in head.headers {
                let key = name.lowercased()
                headers[key] = headers[key].map { "\($0), \(value)" } ?? value
            }
            let request = RecordedStreamServer.ReceivedRequest(method: head.method.rawValue, path: head.uri, headers: headers, body: body)
            let (script, exchange) = server.received(request)
            play(script, exchange: exchange, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let playing {
            playing.pending?.cancel()
            server.finished(playing.exchange, aborted: true)
            self.playing = nil
        }
        context.fireChannelInactive()
    }

    private func play(_ script: RecordedStreamServer.Script, exchange: Int, context: ChannelHandlerContext) {
        playing = (exchange, nil)
        let writes = script.writes
        let start = { [self] in
            var headers = HTTPHeaders(script.headers.map { ($0.name, $0.value) })
            headers.replaceOrAdd(name: "transfer-encoding", value: "chunked")
            let status = HTTPResponseStatus(statusCode: script.status)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            write(writes, index: 0, script: script, context: context)
        }
        if script.delayBeforeFirstByte > .zero {
            playing?.pending = context.eventLoop.assumeIsolated().scheduleTask(in: Self.time(script.delayBeforeFirstByte), start)
        } else {
            start()
        }
    }

    /// Writes `writes[index]` (flushed on its own), then schedules the next or ends.
    private func write(_ writes: [[UInt8]], index: Int, script: RecordedStreamServer.Script, context: ChannelHandlerContext) {
        guard let exchange = playing?.exchange, context.channel.isActive else { return }
        let bytes = writes[index]
        if !bytes.isEmpty {
            if index == 0 { server.wroteFirstByte(exchange) }
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
        } else {
            context.flush()
        }
        guard index + 1 == writes.count else {
            let next = { [self] in write(writes, index: index + 1, script: script, context: context) }
            if script.delayBetweenWrites > .zero {
                playing?.pending = context.eventLoop.assumeIsolated().scheduleTask(in: Self.time(script.delayBetweenWrites), next)
            } else {
                next()
            }
            return
        }
        switch script.ending {
        case .keepAlive:
            playing = nil
            server.finished(exchange, aborted: false)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .close:
            playing = nil
            server.finished(exchange, aborted: false)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        case .hold:
            playing?.pending = nil
        case .drop:
            playing = nil
            server.finished(exchange, aborted: false)
            context.close(promise: nil)
        }
    }

    private static func time(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

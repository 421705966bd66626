import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// One streamed request to a provider, shared by both wire formats: sends the request, maps a
/// non-200 reply to `rejected`, feeds the body through the SSE parser and the provider's
/// decoder as it arrives, and enforces the first-token and idle timeouts.
///
/// The work runs in a task that the returned stream owns: when the consumer stops iterating
/// (or its task is cancelled) the task is cancelled, and with it the HTTP request — the
/// connection is closed. The logger gets provider, model, status and latencies only.
struct ReplyStreamExchange<StreamDecoder: ReplyStreamDecoder>: Sendable {
    /// Bytes of a non-200 body read for its error message; the rest is dropped.
    static var errorBodyLimit: Int { 64 * 1024 }

    private let request: HTTPClientRequest
    private let body: Result<[UInt8], ReplyModelError>
    private let decoder: StreamDecoder
    private let configuration: ReplyModelConfiguration
    private let http: HTTPClient
    private let logger: Logger

    init(
        request: HTTPClientRequest, body: some Encodable, decoder: StreamDecoder, configuration: ReplyModelConfiguration,
        http: HTTPClient, logger: Logger
    ) {
        self.request = request
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail; if it ever did, the stream says so.
        self.body = Result { try Array(encoder.encode(body)) }.mapError { _ in .malformed("the request body could not be encoded") }
        self.decoder = decoder
        self.configuration = configuration
        self.http = http
        var logger = logger
        logger[metadataKey: "llm.provider"] = .string(configuration.provider.rawValue)
        logger[metadataKey: "llm.model"] = .string(configuration.model)
        self.logger = logger
    }

    func start() -> AsyncThrowingStream<ReplyStreamEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ReplyStreamEvent.self)
        let watch = ExchangeWatch(firstTokenTimeout: configuration.firstTokenTimeout, idleTimeout: configuration.idleTimeout)
        let task = Task { await run(watch, continuation) }
        watch.arm(cancelling: task)
        continuation.onTermination = { termination in
            // `.finished` is the exchange's own doing: it may still be draining the body.
            if case .cancelled = termination { task.cancel() }
        }
        return stream
    }

    private func run(_ watch: ExchangeWatch, _ continuation: AsyncThrowingStream<ReplyStreamEvent, any Error>.Continuation) async {
        defer { watch.stop() }
        logger.debug("reply stream requested")
        do {
            try await exchange(watch, continuation)
            if watch.snapshot.completed == nil {
                // A decoder that neither finished nor threw at EOF: never end a reply silently.
                continuation.finish(throwing: ReplyModelError.truncated)
            }
        } catch {
            let snapshot = watch.snapshot
            if snapshot.completed != nil {
                // The reply was delivered; only reading the body's end failed or took too long.
                logger.debug("reply stream's body not read to its end")
                return
            }
            let failure: ReplyModelError
            if let timeout = watch.timedOut {
                failure = timeout
            } else if Task.isCancelled {
                logger.debug("reply stream cancelled by its consumer", metadata: latency(watch, snapshot))
                continuation.finish()
                return
            } else {
                failure = Self.classify(error, headTimeout: watch.headDeadline.1).redacting(configuration.apiKey)
            }
            var metadata = latency(watch, snapshot)
            metadata["llm.error"] = .string(failure.description)
            logger.warning("reply stream failed", metadata: metadata)
            continuation.finish(throwing: failure)
        }
    }

    /// Sends the request and streams the reply into `continuation`; after the end marker,
    /// reads what is left of the body (bounded by the watch's grace) so the connection can
    /// return to the pool.
    private func exchange(_ watch: ExchangeWatch, _ continuation: AsyncThrowingStream<ReplyStreamEvent, any Error>.Continuation) async throws {
        var request = request
        request.body = .bytes(ByteBuffer(bytes: try body.get()))
        // AsyncHTTPClient's deadline covers only the wait for the response head. When it passes
        // it reports a connection error met meanwhile (it retries refused connections), which
        // says more than a timeout; the watch fires shortly after as a backstop.
        let response = try await http.execute(request, timeout: .milliseconds(min(watch.headDeadline.0.inMilliseconds, 86_400_000)))
        let status = Int(response.status.code)
        watch.response(status: status)
        guard status == 200 else {
            throw ProviderErrorReply.rejection(status: status, body: try await errorBody(response.body, watch))
        }
        var parser = ServerSentEventParser()
        var decoder = decoder
        for try await chunk in response.body {
            watch.bytes()
            guard !decoder.isComplete else { continue }
            for event in try parser.feed(chunk.readableBytesView) {
                guard let output = try decoder.decode(event) else { continue }
                deliver(output, watch, continuation)
                if decoder.isComplete { break }
            }
        }
        guard !decoder.isComplete else { return }
        if let event = try parser.finish(), let output = try decoder.decode(event) { deliver(output, watch, continuation) }
        if !decoder.isComplete, let output = try decoder.finish() { deliver(output, watch, continuation) }
    }

    private func deliver(_ event: ReplyStreamEvent, _ watch: ExchangeWatch, _ continuation: AsyncThrowingStream<ReplyStreamEvent, any Error>.Continuation) {
        switch event {
        case .delta:
            watch.delta()
            continuation.yield(event)
        case .finished(let stopReason, let inputTokens, let outputTokens):
            watch.complete()
            continuation.yield(event)
            continuation.finish()
            var metadata = latency(watch, watch.snapshot)
            metadata["llm.stop_reason"] = stopReason.map { .string($0) }
            metadata["llm.input_tokens"] = inputTokens.map { .stringConvertible($0) }
            metadata["llm.output_tokens"] = outputTokens.map { .stringConvertible($0) }
            logger.info("reply stream finished", metadata: metadata)
        }
    }

    /// Up to `errorBodyLimit` bytes of a non-200 body.
    private func errorBody(_ body: HTTPClientResponse.Body, _ watch: ExchangeWatch) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in body {
            watch.bytes()
            bytes += chunk.readableBytesView.prefix(Self.errorBodyLimit - bytes.count)
            if bytes.count >= Self.errorBodyLimit { break }
        }
        return bytes
    }

    private func latency(_ watch: ExchangeWatch, _ snapshot: ExchangeWatch.Snapshot) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["llm.elapsed_ms": .stringConvertible((ContinuousClock.now - watch.start).inMilliseconds)]
        metadata["llm.status"] = snapshot.status.map { .stringConvertible($0) }
        metadata["llm.first_token_ms"] = snapshot.firstDelta.map { .stringConvertible(($0 - watch.start).inMilliseconds) }
        return metadata
    }

    /// The `ReplyModelError` for whatever ended the exchange; AsyncHTTPClient's deadline is
    /// the wait for the response head, `headTimeout`.
    static func classify(_ error: any Error, headTimeout: ReplyModelError) -> ReplyModelError {
        switch error {
        case let error as ReplyModelError:
            return error
        case let error as HTTPClientError where error == .deadlineExceeded:
            return headTimeout
        case let error as HTTPClientError where error == .readTimeout:
            return .transport("read timeout")
        default:
            return .transport(String(describing: error))
        }
    }
}

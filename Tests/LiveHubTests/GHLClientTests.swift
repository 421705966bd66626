import Actors
import AsyncHTTPClient
import Coaching
import Foundation
import Logging
import Synchronization
import Testing

@testable import LiveHub

/// Captures every log line, to prove secrets never reach one.
final class LogCapture: Sendable {
    let lines = Mutex<[String]>([])
    func logger() -> Logger {
        var l = Logger(label: "capture") { _ in CaptureHandler(capture: self) }
        l.logLevel = .trace
        return l
    }
    struct CaptureHandler: LogHandler {
        let capture: LogCapture
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? { get { metadata[key] } set { metadata[key] = newValue } }
        func log(event: LogEvent) {
            capture.lines.withLock { $0.append("\(event.message) \(event.metadata ?? [:]) \(metadata)") }
        }
    }
}

/// A token source whose refresh hands out a new token (OAuth-like), counting refreshes.
final class RotatingTokens: GHLCredentialSource {
    let current = Mutex("token-1")
    let refreshes = Atomic<Int>(0)
    func token(for location: String) async throws -> String? { current.withLock { $0 } }
    func refresh(for location: String, rejected: String) async throws -> String? {
        let n = refreshes.add(1, ordering: .relaxed).newValue
        return current.withLock { $0 = "token-\(n + 1)"; return $0 }
    }
}

@Suite("GHL API client")
struct GHLClientTests {
    func client(_ base: String, tokens: any GHLCredentialSource = StaticTokens(tokens: ["loc-1": "pit-secret-token"]), timeout: Duration = .seconds(5), logger: Logger = Logger(label: "t"), limiter: RateLimiter = RateLimiter()) -> GHLClient {
        GHLClient(baseURL: base, http: HTTPClient.shared, credentials: tokens, limiter: limiter, clock: ContinuousClock(), requestTimeout: timeout, backoffBase: .milliseconds(2), logger: logger)
    }

    let request = GHLSendRequest(type: "SMS", contactId: "contact-1", message: "Hi Dana! Saturday at 10?")

    @Test("success: Bearer token, Version header, documented body; messageId and status come back")
    func success() async throws {
        let fake = FakeGHL()
        try await fake.run { base in
            let result = await client(base).send(request, location: "loc-1")
            #expect(result == .sent(messageId: "ghl-msg-1", conversationId: "conv-ghl", status: "pending"))
        }
        let seen = try #require(fake.received.first)
        #expect(seen.authorization == "Bearer pit-secret-token" && seen.version == "2021-04-15" && seen.body == request)
    }

    @Test("401 → refresh → success with the new token; 422 and 400 are rejections; no credentials is its own result")
    func errors() async throws {
        let fake = FakeGHL()
        let tokens = RotatingTokens()
        try await fake.run { base in
            fake.enqueue(.status(401, message: "Invalid token: access token is invalid"))
            #expect(await client(base, tokens: tokens).send(request, location: "loc-1") == .sent(messageId: "ghl-msg-1", conversationId: "conv-ghl", status: "pending"))
            fake.enqueue(.status(422, message: "Unprocessable Entity"))
            #expect(await client(base).send(request, location: "loc-1") == .rejected(status: 422, message: "Unprocessable Entity"))
            fake.enqueue(.status(400, message: "Bad Request"))
            #expect(await client(base).send(request, location: "loc-1") == .rejected(status: 400, message: "Bad Request"))
            #expect(await client(base).send(request, location: "elsewhere") == .noCredentials)
            fake.enqueue(.status(401, message: "Invalid token"), .status(401, message: "Invalid token"))
            if case .unauthorized = await client(base, tokens: tokens).send(request, location: "loc-1") {} else { Issue.record("expected unauthorized after a failed refresh") }
        }
        #expect(fake.received.prefix(2).map(\.authorization) == ["Bearer token-1", "Bearer token-2"])
    }

    @Test("502/503 and refused connections are retried with backoff, boundedly; 500 and read timeouts are not (outcome unknown)")
    func retries() async throws {
        let fake = FakeGHL()
        try await fake.run { base in
            fake.enqueue(.status(502, message: "Bad Gateway"), .status(503, message: "Unavailable"))
            #expect(await client(base).send(request, location: "loc-1") == .sent(messageId: "ghl-msg-1", conversationId: "conv-ghl", status: "pending"))
            fake.enqueue(.status(503, message: "x"), .status(503, message: "x"), .status(503, message: "x"), .status(503, message: "x"))
            #expect(await client(base).send(request, location: "loc-1") == .serverError(status: 503))  // gave up after 4
            fake.enqueue(.status(500, message: "x"))
            let result = await client(base).send(request, location: "loc-1")
            #expect(result == .serverError(status: 500) && result.outcomeUnknown)
            fake.enqueue(.slow(.seconds(2)))
            #expect(await client(base, timeout: .milliseconds(150)).send(request, location: "loc-1") == .timeout)
        }
        let requests = fake.received.count
        #expect(requests == 9)  // 3 (502, 503, ok) + 4 (503 given up) + 1 (500) + 1 (timeout)
        // Nothing listening: never delivered, retried, and reported as such.
        let unreachable = await client("http://127.0.0.1:1", timeout: .milliseconds(100)).send(request, location: "loc-1")
        #expect(!unreachable.outcomeUnknown)
    }

    @Test("429 with rate headers blocks the location until the interval resets; the local limit holds 100 per 10 s")
    func rateLimits() async throws {
        let fake = FakeGHL()
        let clock = Mutex(Duration.zero)
        let limiter = RateLimiter(now: { clock.withLock { $0 } })
        try await fake.run { base in
            fake.enqueue(.status(429, message: "Too Many Requests", headers: [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Interval-Milliseconds", "10000"), ("X-RateLimit-Max", "100")]))
            let result = await client(base, limiter: limiter).send(request, location: "loc-1")
            #expect(result == .rateLimited(retryAfter: .milliseconds(10_000)))
            #expect(await limiter.decide("loc-1") == .wait(.seconds(10)))
            clock.withLock { $0 = .seconds(10) }
            #expect(await limiter.decide("loc-1") == .go)
        }
        let local = RateLimiter(now: { .zero })
        for _ in 0..<100 { #expect(await local.decide("L") == .go) }
        #expect(await local.decide("L") == .wait(.seconds(10)))
        #expect(await local.decide("other") == .go)
    }

    @Test("transcript polling spends the location's allowance: with it spent, nothing is asked and the call is not ready yet")
    func transcriptRateGate() async throws {
        let fake = FakeGHL()
        let limiter = RateLimiter(now: { .zero })
        try await fake.run { base in
            for _ in 0..<100 { #expect(await limiter.decide("loc-1") == .go) }
            let transcripts = GHLTranscripts(client: client(base, limiter: limiter), attribution: CallAttribution())
            let fetch = await transcripts.transcript(location: "loc-1", messageId: "call-1", direction: "inbound")
            #expect(fetch == .notYet("the location's GHL rate limit is reached"))
            #expect(fake.received.isEmpty)
        }
    }

    @Test("the limiter forgets a location idle for a day, and tracks at most its bound of quiet locations")
    func limiterBounded() async throws {
        let clock = Mutex(Duration.zero)
        let limiter = RateLimiter(maxLocations: 50, now: { clock.withLock { $0 } })
        for i in 0..<40 { #expect(await limiter.decide("loc-\(i)") == .go) }
        #expect(await limiter.trackedLocations == 40)
        clock.withLock { $0 = .seconds(25 * 3600) }
        #expect(await limiter.decide("fresh") == .go)
        #expect(await limiter.trackedLocations == 1)
        // Many locations, each quiet again 11 s later: the count stays within the bound.
        for i in 0..<500 {
            clock.withLock { $0 += .seconds(11) }
            #expect(await limiter.decide("busy-\(i)") == .go)
            #expect(await limiter.trackedLocations <= 50)
        }
        // A location still inside its window keeps its state: its limit holds.
        for _ in 0..<99 { #expect(await limiter.decide("busy-499") == .go) }
        #expect(await limiter.decide("busy-499") == .wait(.seconds(10)))
    }

    @Test("tokens never reach the logs, whatever happens")
    func secrets() async throws {
        let fake = FakeGHL()
        let capture = LogCapture()
        try await fake.run { base in
            fake.enqueue(.status(500, message: "x"), .status(401, message: "bad"))
            _ = await client(base, logger: capture.logger()).send(request, location: "loc-1")
            _ = await client("http://127.0.0.1:1", timeout: .milliseconds(100), logger: capture.logger()).send(request, location: "loc-1")
        }
        let lines = capture.lines.withLock { $0 }
        #expect(!lines.isEmpty)
        #expect(!lines.contains { $0.contains("pit-secret-token") })
    }
}

import Actors
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Sends messages through GHL's API for a location, with its credentials, its rate limits and
/// bounded retries. Every outcome maps to a `GHLSendResult`; tokens never reach a log line.
struct GHLClient: Sendable {
    let baseURL: String
    let http: HTTPClient
    let credentials: any GHLCredentialSource
    let limiter: RateLimiter
    let clock: any Clock<Duration>
    var requestTimeout: Duration = .seconds(10)
    /// Attempts (the first included) when the request provably did not take effect: no
    /// connection, 502, 503. A read timeout or another 5xx is never retried here: GHL may have
    /// sent the message, and only reconciliation can tell.
    var maxAttempts = 4
    var backoffBase: Duration = .milliseconds(200)
    let logger: Logger

    static let apiVersion = "2021-04-15"

    func send(_ request: GHLSendRequest, location: String) async -> GHLSendResult {
        var attempt = 0
        var refreshed = false
        var lastToken = ""
        while true {
            attempt += 1
            switch await limiter.decide(location) {
            case .dailyExhausted: return .rateLimited(retryAfter: .seconds(3600))
            case .wait(let d):
                // Never wait here: the caller re-checks its rules (an opt-out may arrive meanwhile)
                // before trying again, which a sleep inside the client would skip.
                return .rateLimited(retryAfter: d)
            case .go: break
            }
            let result: GHLSendResult
            switch await currentToken(location, refresh: refreshed, rejected: lastToken) {
            case .failed(let outcome): result = outcome
            case .none: return refreshed ? .unauthorized("no refreshed token") : .noCredentials
            case .token(let token):
                lastToken = token
                result = await post(request, token: token, location: location)
            }
            // Location, attempt and outcome only (GHL's own words, never a token or the message text).
            logger.debug("GHL send", metadata: ["location": .string(location), "attempt": .stringConvertible(attempt), "outcome": .string("\(result)")])
            switch result {
            case .unauthorized where !refreshed:
                refreshed = true
                attempt -= 1
                continue
            case _ where result.retryable:
                guard attempt < maxAttempts else { return result }
                try? await clock.sleep(for: backoff(attempt))
            default:
                return result
            }
        }
    }

    /// The token to send with, or the outcome that ends (or, when retryable, repeats) the attempt.
    private func currentToken(_ location: String, refresh: Bool, rejected: String) async -> TokenLookup {
        do {
            let token = try await refresh ? credentials.refresh(for: location, rejected: rejected) : credentials.token(for: location)
            return token.map(TokenLookup.token) ?? .none
        } catch let error as OAuthError {
            switch error {
            case .invalidGrant, .notALocation: return .failed(.unauthorized(error.description))
            // The token endpoint is down or the new grant is not stored yet: nothing reached
            // GHL's messages API, so trying again is safe.
            case .refused, .unavailable, .notPersisted: return .failed(.notDelivered("credentials: \(error.description)"))
            }
        } catch {
            return .failed(.unauthorized("credentials unavailable"))
        }
    }

    private enum TokenLookup {
        case token(String)
        case none
        case failed(GHLSendResult)
    }

    /// The conversation's most recent messages, for reconciling a send whose outcome is unknown;
    /// nil when GHL could not be asked.
    func recentMessages(conversationId: String, location: String, limit: Int = 20) async -> [GHLMessage]? {
        guard case .go = await limiter.decide(location), let token = try? await credentials.token(for: location) else { return nil }
        let id = conversationId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? conversationId
        var request = HTTPClientRequest(url: baseURL + "/conversations/\(id)/messages?limit=\(limit)")
        request.headers.add(name: "Authorization", value: "Bearer " + token)
        request.headers.add(name: "Version", value: Self.apiVersion)
        request.headers.add(name: "Accept", value: "application/json")
        guard let response = try? await http.execute(request, timeout: TimeAmount(requestTimeout)),
            let bytes = try? await response.body.collect(upTo: 4 << 20)
        else { return nil }
        await limiter.observe(location, status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) })
        guard response.status.code == 200 else { return nil }
        return (try? JSONDecoder().decode(GHLMessagePage.self, from: Data(buffer: bytes)))?.messages?.messages ?? []
    }

    /// Exponential backoff with full jitter: uniform in [base·2^(n-1)/2, base·2^(n-1)].
    func backoff(_ attempt: Int) -> Duration {
        let ceiling = backoffBase * (1 << min(attempt - 1, 10))
        let ms = ceiling.inSeconds * 1000
        return .milliseconds(Int64(ms / 2 + Double.random(in: 0...(ms / 2))))
    }

    private func post(_ body: GHLSendRequest, token: String, location: String) async -> GHLSendResult {
        var request = HTTPClientRequest(url: baseURL + "/conversations/messages")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer " + token)
        request.headers.add(name: "Version", value: Self.apiVersion)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        guard let encoded = try? JSONEncoder().encode(body) else { return .rejected(status: 0, message: "unencodable request") }
        request.body = .bytes(ByteBuffer(data: encoded))
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: TimeAmount(requestTimeout))
            bytes = try await response.body.collect(upTo: 1 << 20)
        } catch let error as HTTPClientError where error == .connectTimeout || error == .socksHandshakeTimeout {
            return .notDelivered("no connection to GHL")
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return .timeout
        } catch is NIOConnectionError {
            return .notDelivered("no connection to GHL")
        } catch let error as IOError where [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(error.errnoCode) {
            // Refused or unreachable: the request never left this host.
            return .notDelivered("no connection to GHL")
        } catch {
            logger.warning("GHL request failed", metadata: ["location": .string(location), "error": .string(String(describing: type(of: error)))])
            return .transport(String(describing: type(of: error)))
        }
        let status = Int(response.status.code)
        await limiter.observe(location, status: status, headers: response.headers.map { ($0.name, $0.value) })
        let data = Data(buffer: bytes)
        switch status {
        case 200..<300:
            guard let ok = try? JSONDecoder().decode(GHLSendResponse.self, from: data), let id = ok.messageId else {
                // Accepted but unreadable: treat as unknown so the outbox reconciles.
                return .transport("unreadable success body")
            }
            return .sent(messageId: id, conversationId: ok.conversationId, status: ok.status ?? "pending")
        case 401:
            return .unauthorized((try? JSONDecoder().decode(GHLErrorBody.self, from: data))?.message ?? "unauthorized")
        case 429:
            let ms = response.headers.first(name: "x-ratelimit-interval-milliseconds").flatMap(Int.init) ?? 10_000
            return .rateLimited(retryAfter: .milliseconds(ms))
        case 400, 422, 403, 404:
            return .rejected(status: status, message: (try? JSONDecoder().decode(GHLErrorBody.self, from: data))?.message ?? "rejected")
        default:
            return .serverError(status: status)
        }
    }
}

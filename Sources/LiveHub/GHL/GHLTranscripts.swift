import Actors
import AsyncHTTPClient
import Coaching
import Foundation
import Logging
import NIOCore

/// Fetches call transcripts from GHL
/// (`GET /conversations/locations/{locationId}/messages/{messageId}/transcription`) and
/// attributes their sentences. GHL does not say when a transcript is ready: a 404 or an empty
/// list is "not yet", as are a rate limit (GHL's 429, or the location's allowance spent here),
/// a 5xx and no connection; a refused token (after one
/// refresh), a missing grant or an unreadable answer end the attempts.
struct GHLTranscripts: CallTranscriptSource {
    let client: GHLClient
    /// How call sides are told apart (`CallAttribution`, from `LIVEHUB_CALL_LEAD_CHANNEL`).
    let attribution: CallAttribution

    func transcript(location: String, messageId: String, direction: String) async -> TranscriptFetch {
        let rule = attribution
        var rejected: String?
        for _ in 0..<2 {
            let token: String
            do {
                let found: String?
                if let rejected { found = try await client.credentials.refresh(for: location, rejected: rejected) } else { found = try await client.credentials.token(for: location) }
                guard let found else { return .failed("no GHL credentials for the location") }
                token = found
            } catch {
                return .notYet("credentials unavailable")
            }
            switch await get(location: location, messageId: messageId, token: token) {
            case .unauthorized where rejected == nil:
                rejected = token
            case .unauthorized:
                return .failed("GHL refused the location's token")
            case .answer(let outcome):
                return outcome(rule, CallDirection(rawValue: direction.lowercased()) ?? .outbound)
            }
        }
        return .failed("GHL refused the location's token")
    }

    private enum Reply {
        case unauthorized
        case answer(@Sendable (CallAttribution, CallDirection) -> TranscriptFetch)
    }

    private func get(location: String, messageId: String, token: String) async -> Reply {
        // Polling for transcripts spends the location's GHL allowance like any other request.
        guard case .go = await client.limiter.decide(location) else {
            return .answer { _, _ in .notYet("the location's GHL rate limit is reached") }
        }
        let loc = location.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? location
        let id = messageId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? messageId
        var request = HTTPClientRequest(url: client.baseURL + "/conversations/locations/\(loc)/messages/\(id)/transcription")
        request.headers.add(name: "Authorization", value: "Bearer " + token)
        request.headers.add(name: "Version", value: GHLClient.apiVersion)
        request.headers.add(name: "Accept", value: "application/json")
        let status: Int
        let body: ByteBuffer
        do {
            let response = try await client.http.execute(request, timeout: TimeAmount(client.requestTimeout))
            body = try await response.body.collect(upTo: 8 << 20)
            status = Int(response.status.code)
            await client.limiter.observe(location, status: status, headers: response.headers.map { ($0.name, $0.value) })
        } catch {
            return .answer { _, _ in .notYet("no answer from GHL (\(type(of: error)))") }
        }
        switch status {
        case 200:
            let data = Data(buffer: body)
            return .answer { rule, direction in
                guard let sentences = try? TranscriptSentence.decodeList(data) else { return .failed("GHL's transcript could not be read") }
                guard !sentences.isEmpty else { return .notYet("empty transcript") }
                let attributed = rule.attribute(sentences, direction: direction)
                return .ready(attributed, attribution: rule.label)
            }
        case 401: return .unauthorized
        case 404: return .answer { _, _ in .notYet("not transcribed yet (404)") }
        case 403: return .answer { _, _ in .failed("GHL refused (403): transcription may not be enabled for the location") }
        case 429, 500...: return .answer { _, _ in .notYet("GHL answered \(status)") }
        default: return .answer { _, _ in .failed("GHL answered \(status)") }
        }
    }
}

extension CallAttribution {
    /// How the sides were told apart, as `call.transcribed` reports it.
    var label: String {
        switch rule {
        case .byDirection: return "direction"
        case .leadChannel(let c): return "channel:" + c
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import HummingbirdTesting
@testable import LiveHub

/// A stand-in for GHL's REST API on loopback (GHL cannot be reached from here). It speaks the
/// documented wire format: `POST /conversations/messages` with Bearer + `Version`, success
/// `{conversationId, messageId, msg, status}`, errors `{statusCode, message, error}`, 429 with
/// `X-RateLimit-*` headers. Responses are scripted per test; every request is recorded.
final class FakeGHL: Sendable {
    enum Reply: Sendable {
        case success
        case status(Int, message: String, headers: [(String, String)] = [])
        case slow(Duration)
    }

    struct Received: Sendable {
        let authorization: String?
        let version: String?
        let body: GHLSendRequest?
    }

    /// How the transcription endpoint answers, per message, in turn; none left: 404 (not ready).
    enum TranscriptReply: Sendable {
        case notFound
        case ready(String)
        case status(Int)
    }

    private let transcriptScript = Mutex<[String: [TranscriptReply]]>([:])
    private let transcriptLog = Mutex<[(messageId: String, version: String?, authorization: String?)]>([])
    private let script = Mutex<[Reply]>([])
    /// Messages GHL accepted, per contact (all tests use one conversation per contact).
    private let accepted = Mutex<[(id: String, body: String)]>([])
    private let log = Mutex<[Received]>([])
    private let counter = Atomic<Int>(0)
    /// When set, sends need an access token this OAuth side issued (else 401, as GHL answers).
    let oauth: FakeGHLOAuth?

    init(oauth: FakeGHLOAuth? = nil) { self.oauth = oauth }

    var received: [Received] { log.withLock { $0 } }
    func enqueue(_ replies: Reply...) { script.withLock { $0 += replies } }
    func scriptTranscript(_ messageId: String, _ replies: TranscriptReply...) { transcriptScript.withLock { $0[messageId, default: []] += replies } }
    /// The transcription requests received, by message.
    var transcriptRequests: [(messageId: String, version: String?, authorization: String?)] { transcriptLog.withLock { $0 } }

    /// Runs the fake on an ephemeral port for the duration of `body`.
    func run<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/conversations/messages") { request, _ in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let decoded = try? JSONDecoder().decode(GHLSendRequest.self, from: Data(buffer: bytes))
            self.log.withLock {
                $0.append(Received(authorization: request.headers[.authorization], version: request.headers[HTTPField.Name("Version")!], body: decoded))
            }
            if let oauth = self.oauth, !oauth.accepts(String(request.headers[.authorization]?.dropFirst("Bearer ".count) ?? "")) {
                return Self.json(.unauthorized, #"{"statusCode":401,"message":"Invalid token: access token is invalid","error":"Unauthorized"}"#)
            }
            let next = self.script.withLock { $0.isEmpty ? Reply.success : $0.removeFirst() }
            switch next {
            case .success:
                let n = self.counter.add(1, ordering: .relaxed).newValue
                self.accepted.withLock { $0.append(("ghl-msg-\(n)", decoded?.message ?? "")) }
                return Self.json(.ok, #"{"conversationId":"conv-ghl","messageId":"ghl-msg-\#(n)","msg":"Message queued successfully.","status":"pending"}"#)
            case .status(let code, let message, let headers):
                var r = Self.json(.init(code: code), #"{"statusCode":\#(code),"message":"\#(message)","error":"Error"}"#)
                for (k, v) in headers { r.headers[HTTPField.Name(k)!] = v }
                return r
            case .slow(let d):
                // GHL takes the message, then answers too late.
                self.accepted.withLock { $0.append(("ghl-slow", decoded?.message ?? "")) }
                try await Task.sleep(for: d)
                return Self.json(.ok, #"{"conversationId":"conv-ghl","messageId":"ghl-slow","msg":"ok","status":"pending"}"#)
            }
        }
        router.get("/conversations/:id/messages") { _, _ in
            let items = self.accepted.withLock { $0 }.reversed().map { m in
                #"{"id":"\#(m.id)","body":"\#(m.body)","direction":"outbound","type":1,"messageType":"TYPE_SMS","dateAdded":"\#(Date().ISO8601Format())"}"#
            }
            return Self.json(.ok, #"{"messages":{"lastMessageId":"x","nextPage":false,"messages":["# + items.joined(separator: ",") + "]}}")
        }
        router.get("/conversations/locations/:location/messages/:message/transcription") { request, context in
            let id = context.parameters.get("message") ?? ""
            self.transcriptLog.withLock { $0.append((id, request.headers[HTTPField.Name("Version")!], request.headers[.authorization])) }
            let next = self.transcriptScript.withLock { s -> TranscriptReply in
                guard var queue = s[id], !queue.isEmpty else { return .notFound }
                let first = queue.removeFirst()
                s[id] = queue
                return first
            }
            switch next {
            case .notFound: return Self.json(.notFound, #"{"statusCode":404,"message":"Transcription not found","error":"Not Found"}"#)
            case .ready(let json): return Self.json(.ok, json)
            case .status(let code): return Self.json(.init(code: code), #"{"statusCode":\#(code),"message":"error","error":"Error"}"#)
            }
        }
        oauth?.register(on: router)
        var logger = Logger(label: "fake-ghl")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        return try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port ?? 0)")
        }
    }

    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

import Foundation
import Logging
import NIOCore

/// A client op on a conversation another node owns, carried out by that owner: the op as the
/// client sent it, the caller's claims (authenticated node to node, and checked again by the
/// owner exactly as for its own clients), and for a `reply.send` the outbox id chosen here, so
/// that a forward retried after an unknown outcome queues the reply once. The owner's answer —
/// done, or an error code and message — is the client's.
struct OpForwarding {
    static let path = "/internal/v1/ops"
    /// What the MAC's scheme names for a forwarded op.
    static let scheme = "op"

    let cluster: ClusterMembership
    let timeout: Duration
    let logger: Logger

    /// The body of a forwarded op.
    struct Request: Codable {
        let claims: AccessToken
        let op: String
        let outboxId: String?
    }

    /// The owner's answer: `{"ok":true}` or `{"error":code,"message":…}`.
    struct Answer: Codable {
        var ok: Bool?
        var error: String?
        var message: String?
    }

    enum Outcome: RelayedReply {
        case done
        case failed(code: String, message: String)

        /// The owner's answer to a forwarded op.
        static func relayed(status: Int, body: ByteBuffer, retryAfter: String?) -> Outcome {
            guard status == 200, let answer = try? JSONDecoder().decode(Answer.self, from: Data(buffer: body)) else {
                return .failed(code: "internal", message: "the owning node answered \(status)")
            }
            if let code = answer.error { return .failed(code: code, message: answer.message ?? code) }
            return .done
        }
    }

    /// Runs the op where the location is owned: here (`local`) once this node owns it, else at
    /// the owner; asks again while the lease moves, for at most `timeout`.
    func run(_ text: String, claims: AccessToken, outboxId: String?, location: String, local: () async throws -> Void) async -> Outcome {
        let body: [UInt8]
        do {
            body = Array(try JSONEncoder().encode(Request(claims: claims, op: text, outboxId: outboxId)))
        } catch {
            return .failed(code: "internal", message: "the operation could not be forwarded")
        }
        let served = await cluster.serve(
            location: location, timeout: timeout, logger: logger,
            local: { () async -> Outcome? in
                do {
                    try await local()
                    return .done
                } catch let e as GatewayError {
                    return .failed(code: e.code, message: e.message)
                } catch is OwnedElsewhere {
                    return nil  // the lease moved on meanwhile: ask the new owner
                } catch {
                    return .failed(code: "internal", message: "the operation failed")
                }
            },
            remote: { address, attempt in await cluster.forwarder.post(body, scheme: Self.scheme, to: address + Self.path, timeout: attempt) })
        return served ?? .failed(code: "unavailable", message: "no node could carry out the operation in time; retry")
    }
}

/// Thrown by an op on a conversation of a location this node does not own: nothing was changed,
/// and the op goes to the owner.
struct OwnedElsewhere: Error {
    let location: String
    /// The outbox id a `reply.send` uses, wherever it is carried out.
    let outboxId: String?
}

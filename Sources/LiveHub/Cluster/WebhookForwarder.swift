import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore

/// Hands a verified webhook that reached a non-owner to the node that owns its location, on the
/// same terms as if GHL had sent it there: the owner answers once it has committed, and that
/// answer is GHL's. Node-to-node requests are authenticated with an HMAC over the body under the
/// cluster's shared secret, so only a node can skip the owner's signature check.
package struct WebhookForwarder: Sendable {
    /// The owner's own path for forwarded webhooks.
    static let path = "/internal/v1/webhooks/ghl"
    static let macHeader = "x-livehub-forward-mac"
    static let nodeHeader = "x-livehub-forwarded-by"
    static let schemeHeader = "x-livehub-signature-scheme"

    let node: String
    let key: SymmetricKey

    package init(node: String, secret: [UInt8]) {
        self.node = node
        key = SymmetricKey(data: secret)
    }

    /// The process-wide client for node-to-node requests, kept for the process's lifetime. A
    /// short connect timeout: a node that does not accept on loopback or a LAN at once is gone,
    /// and the client would otherwise keep retrying the connection until the request's deadline.
    static let http = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: .init(
            timeout: .init(connect: .milliseconds(250)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))

    /// One attempt waits at most this long for the owner's answer (a commit takes milliseconds);
    /// a dead or paused owner is then given up and the owners read again.
    static let attemptTimeout: Duration = .seconds(1)

    /// What came back from the owner.
    enum Reply: Sendable {
        /// The owner's answer, to be relayed as it is.
        case answered(status: Int, body: ByteBuffer, retryAfter: String?)
        /// The node no longer owns the location (the lease moved): ask again.
        case notOwner
        /// No answer (refused, reset, timed out): the outcome is unknown, so ask again — a
        /// second delivery of a committed webhook is a duplicate with one effect.
        case unreachable(String)
    }

    func forward(_ body: [UInt8], scheme: String, to address: String, timeout: Duration) async -> Reply {
        await post(body, scheme: scheme, to: address + Self.path, timeout: timeout)
    }

    /// Posts `body` to another node, authenticated: the MAC covers this node, `scheme` and the body.
    func post(_ body: [UInt8], scheme: String, to url: String, timeout: Duration) async -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: Self.nodeHeader, value: node)
        request.headers.add(name: Self.schemeHeader, value: scheme)
        request.headers.add(name: Self.macHeader, value: mac(body, scheme: scheme, from: node))
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await Self.http.execute(request, timeout: .nanoseconds(Int64(timeout.inSeconds * 1e9)))
            let answer = try await response.body.collect(upTo: 1 << 20)
            if response.status.code == 409 { return .notOwner }
            return .answered(status: Int(response.status.code), body: answer, retryAfter: response.headers.first(name: "retry-after"))
        } catch {
            return .unreachable("\(error)")
        }
    }

    /// True when `header` is the MAC a node of this cluster put on `body`.
    func isAuthentic(_ body: [UInt8], scheme: String, from sender: String, mac header: String?) -> Bool {
        guard let header, let given = Self.bytes(hex: header) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: Self.signed(body, scheme: scheme, from: sender), using: key)
    }

    private func mac(_ body: [UInt8], scheme: String, from sender: String) -> String {
        Hex.string(HMAC<SHA256>.authenticationCode(for: Self.signed(body, scheme: scheme, from: sender), using: key))
    }

    /// What the MAC covers: the sender, the scheme the sender verified, and the exact body.
    private static func signed(_ body: [UInt8], scheme: String, from sender: String) -> [UInt8] {
        Array((sender + "\n" + scheme + "\n").utf8) + body
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let chars = Array(hex.utf8)
        guard chars.count == 64 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}

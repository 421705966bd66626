#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A plain TCP client for tests that need to misbehave on purpose (partial requests, silence,
/// hand-written upgrade requests). Every blocking call runs on a thread of its own, never on the
/// cooperative pool that the server under test needs.
final class RawConnection: @unchecked Sendable {
    // @unchecked: `fd` never changes after init; the socket calls are thread-safe, and each test
    // drives one connection from one task at a time.
    let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// `receiveBuffer` shrinks the kernel's receive buffer, so a peer's writes back up fast.
    static func open(port: Int, receiveBuffer: Int32? = nil) async throws -> RawConnection {
        try await blocking {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failure("socket") }
            if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &addr) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(fd)
                throw Failure("connect")
            }
            return RawConnection(fd: fd)
        }
    }

    /// A WebSocket upgrade request for `path` (query included).
    static func upgradeRequest(path: String) -> String {
        "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until the end of a response head (blank line), the peer closes, or `timeout`.
    /// Returns what was read (empty if nothing came).
    func readHead(timeout: Duration = .seconds(30)) async throws -> String {
        let fd = self.fd
        return try await Self.blocking {
            Self.setReceiveTimeout(fd, timeout)
            var out = [UInt8]()
            var byte: UInt8 = 0
            while !out.suffix(4).elementsEqual([13, 10, 13, 10]) {
                guard recv(fd, &byte, 1, 0) == 1 else { break }
                out.append(byte)
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Reads whatever comes until the peer closes the connection (true) or `timeout` passes
    /// with the connection still open (false).
    func waitForClose(timeout: Duration) async throws -> Bool {
        let fd = self.fd
        return try await Self.blocking {
            Self.setReceiveTimeout(fd, timeout)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n == 0 { return true }  // orderly close
                if n < 0 { return errno != EAGAIN && errno != EWOULDBLOCK }  // reset counts as closed
            }
        }
    }

    deinit { close(fd) }

    static func setReceiveTimeout(_ fd: Int32, _ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        var limit = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    struct Failure: Error { let what: String; init(_ w: String) { what = w } }
}

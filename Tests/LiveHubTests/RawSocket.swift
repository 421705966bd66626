#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A TCP client that performs the WebSocket handshake and then never reads: the slowest
/// consumer there is. Its receive buffer is made small so the server's writes back up quickly.
final class NonReadingSocket: @unchecked Sendable {
    // @unchecked: `fd` is immutable after init, and only one test task uses the socket.
    let fd: Int32

    /// Connects and completes the handshake on a thread of its own: the socket calls block, and
    /// blocking one of the few cooperative threads can stall the server the test talks to.
    static func open(port: Int, path: String) async throws -> NonReadingSocket {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                do {
                    continuation.resume(returning: try NonReadingSocket(port: port, path: path))
                } catch {
                    continuation.resume(throwing: error)
                }
            }.start()
        }
    }

    private init(port: Int, path: String) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket") }
        var small: Int32 = 4096
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        // The handshake must come within 30 s; a hung server fails the test instead of hanging it.
        var limit = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure("connect") }
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        // Read only the handshake response (up to its blank line), nothing after.
        var response = [UInt8]()
        var byte: UInt8 = 0
        while !response.suffix(4).elementsEqual([13, 10, 13, 10]) {
            guard recv(fd, &byte, 1, 0) == 1 else { throw Failure("handshake") }
            response.append(byte)
        }
        guard String(decoding: response, as: UTF8.self).hasPrefix("HTTP/1.1 101") else { throw Failure("not upgraded") }
    }

    /// Sends one masked client text frame (clients must mask).
    func sendText(_ text: String) {
        let payload = Array(text.utf8)
        var frame: [UInt8] = [0x81]
        if payload.count < 126 { frame.append(0x80 | UInt8(payload.count)) } else {
            frame.append(0x80 | 126)
            frame += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        }
        let mask: [UInt8] = [1, 2, 3, 4]
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        _ = frame.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit { close(fd) }

    struct Failure: Error { let what: String; init(_ w: String) { what = w } }
}

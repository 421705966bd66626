#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A WebSocket client written frame by frame, for tests of what ready-made clients hide: the
/// server's pings, fragments, oversized messages, close codes, floods. Blocking reads run on a
/// thread of their own (see `RawConnection`).
final class RawWebSocket: Sendable {
    struct Frame: Equatable {
        var fin: Bool
        var opcode: UInt8
        var payload: [UInt8]

        var text: String { String(decoding: payload, as: UTF8.self) }
        /// A close frame's status code.
        var closeCode: Int? { opcode == 0x8 && payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : nil }
    }

    static let text: UInt8 = 0x1, binary: UInt8 = 0x2, continuation: UInt8 = 0x0, close: UInt8 = 0x8, ping: UInt8 = 0x9, pong: UInt8 = 0xA

    private let connection: RawConnection

    private init(_ connection: RawConnection) { self.connection = connection }

    static func open(port: Int, token: String) async throws -> RawWebSocket {
        let connection = try await RawConnection.open(port: port)
        connection.send(RawConnection.upgradeRequest(path: "/v1/ws?access_token=\(token)"))
        guard try await connection.readHead().hasPrefix("HTTP/1.1 101") else { throw RawConnection.Failure("not upgraded") }
        return RawWebSocket(connection)
    }

    /// Sends one masked frame (clients must mask).
    func send(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true) {
        connection.send(Self.encode(opcode, payload, fin: fin))
    }

    func sendText(_ text: String) { send(Self.text, Array(text.utf8)) }

    /// Sends bytes already framed (`encode`), in one write.
    func send(_ bytes: [UInt8]) { connection.send(bytes) }

    static func encode(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true) -> [UInt8] {
        var frame: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        switch payload.count {
        case ..<126: frame.append(0x80 | UInt8(payload.count))
        case ..<65_536: frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default: frame += [0x80 | 127] + (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        let mask: [UInt8] = [7, 1, 9, 3]
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return frame
    }

    /// The next frame from the server, or nil when the connection ended or `timeout` passed.
    func next(timeout: Duration = .seconds(10)) async throws -> Frame? {
        let fd = connection.fd
        return try await RawConnection.blocking {
            RawConnection.setReceiveTimeout(fd, timeout)
            func read(_ n: Int) -> [UInt8]? {
                var out = [UInt8](repeating: 0, count: n)
                var got = 0
                while got < n {
                    let r = out.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, n - got, 0) }
                    guard r > 0 else { return nil }
                    got += r
                }
                return out
            }
            guard let head = read(2) else { return nil }
            var length = Int(head[1] & 0x7F)
            if length == 126, let ext = read(2) { length = Int(ext[0]) << 8 | Int(ext[1]) }
            if length == 127, let ext = read(8) { length = ext.reduce(0) { $0 << 8 | Int($1) } }
            guard let payload = length == 0 ? [] : read(length) else { return nil }
            return Frame(fin: head[0] & 0x80 != 0, opcode: head[0] & 0x0F, payload: payload)
        }
    }

    /// The next frame that is not one of the server's pings (answered or not, as asked).
    func nextNonPing(answer: Bool = true, timeout: Duration = .seconds(10)) async throws -> Frame? {
        while let frame = try await next(timeout: timeout) {
            guard frame.opcode == Self.ping else { return frame }
            if answer { send(Self.pong, frame.payload) }
        }
        return nil
    }

    /// Reads until the server closes the connection (true) or `timeout` passes (false).
    func waitForClose(timeout: Duration) async throws -> Bool {
        try await connection.waitForClose(timeout: timeout)
    }
}

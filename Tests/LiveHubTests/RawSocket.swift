import Foundation

/// A WebSocket client that performs the handshake and then never reads: the slowest consumer
/// there is. Its receive buffer is made small so the server's writes back up quickly.
final class NonReadingSocket: Sendable {
    private let connection: RawConnection

    private init(_ connection: RawConnection) { self.connection = connection }

    static func open(port: Int, path: String) async throws -> NonReadingSocket {
        let connection = try await RawConnection.open(port: port, receiveBuffer: 4096)
        connection.send(RawConnection.upgradeRequest(path: path))
        // Read only the handshake response (up to its blank line), nothing after.
        guard try await connection.readHead().hasPrefix("HTTP/1.1 101") else { throw RawConnection.Failure("not upgraded") }
        return NonReadingSocket(connection)
    }

    /// Reads until the server closes the connection (true) or `timeout` passes (false).
    func waitForClose(timeout: Duration) async throws -> Bool {
        try await connection.waitForClose(timeout: timeout)
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
        connection.send(frame)
    }
}

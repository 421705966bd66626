import FuzzSupport
import Foundation
import LiveHub

/// Fuzzes the WebSocket client ops: a frame's raw bytes (valid UTF-8 or not) through the op
/// decoder, the ops themselves (subscribe, reply.send, …) and the error frames, on a connection
/// of a supervisor of every location. Every answer must be JSON; a crash is a defect.
let node = FuzzNode.start()
let connection = node.driver.connection()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClientFrame(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let (frames, _) = FuzzDriver.blocking { await connection.send(text: bytes) }
    for frame in frames where (try? JSONSerialization.jsonObject(with: Data(frame.utf8))) == nil {
        FileHandle.standardError.write(Data("a server frame is not JSON: \(frame.prefix(200))\n".utf8))
        abort()
    }
    return 0
}

import Crypto
import FuzzSupport
import Foundation
import LiveHub

/// Fuzzes `POST /webhooks/ghl`: raw bytes and headers through signature verification, JSON
/// decoding, field validation, routing and the durable commit.
///
/// An input is a body. Most are signed with the node's key (so they get past verification to
/// the parser, the validation and the actors); one in eight is sent with its first bytes as the
/// signature header instead, to fuzz verification itself. Any status but 200, 400, 401, 413 and
/// 422 is a defect, and so is a crash.
let node = FuzzNode.start()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhook(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let body = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    var headers: [(name: String, value: String)] = [("content-type", "application/json")]
    if body.count % 8 == 7 {
        headers.append(("x-ghl-signature", String(decoding: body.prefix(88), as: UTF8.self)))
    } else if let signature = try? node.key.signature(for: body).base64EncodedString() {
        headers.append(("x-ghl-signature", signature))
    }
    let sent = headers
    let status = FuzzDriver.blocking { await node.driver.webhook(body: body, headers: sent) }
    guard [200, 400, 401, 413, 422].contains(status) else {
        FileHandle.standardError.write(Data("unexpected status \(status)\n".utf8))
        abort()
    }
    return 0
}

import Foundation
import Hummingbird

/// Small JSON responses with a fixed shape.
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ object: [String: JSONValue]) -> Response {
        var body = "{"
        for (i, (k, v)) in object.sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { body += "," }
            body += JSONValue.string(k).encoded + ":" + v.encoded
        }
        body += "}"
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String? = nil) -> Response {
        var object: [String: JSONValue] = ["error": .string(code)]
        if let message { object["message"] = .string(message) }
        return make(status, object)
    }

    static func encodable(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: try encoder.encode(value))))
    }
}

/// The few JSON values the fixed responses need.
enum JSONValue: Sendable {
    case string(String), int(Int), bool(Bool)

    var encoded: String {
        switch self {
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s):
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
                }
            }
            return out + "\""
        }
    }
}

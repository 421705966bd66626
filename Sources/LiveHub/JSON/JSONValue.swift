import Foundation

/// The few JSON values that LiveHub writes by hand (server frames, error bodies), escaped as
/// JSON requires. Faster than an encoder for these fixed shapes.
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

import Actors

/// The few JSON values that LiveHub writes by hand (server frames, error bodies), escaped as
/// JSON requires. Faster than an encoder for these fixed shapes.
enum JSONValue: Sendable {
    case string(String), int(Int), bool(Bool)

    var encoded: String {
        switch self {
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return CompactJSONEncoder.quoted(s)
        }
    }
}

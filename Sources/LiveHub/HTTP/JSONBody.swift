import Hummingbird

/// Any Encodable value as a JSON response (for types of other modules, which should not be
/// made `ResponseEncodable` from here).
struct JSONBody<Value: Encodable & Sendable>: ResponseEncodable {
    let value: Value

    init(_ value: Value) { self.value = value }

    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

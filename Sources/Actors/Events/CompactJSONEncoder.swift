import Foundation

/// Encodes payloads to the same bytes as Foundation's `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes` (the tests compare the two on every payload type), for about two
/// thirds of the cost in the server's profile: Foundation's encoder checks every value against
/// `Date`, `Data`, `URL` and `Decimal` with dynamic casts and keeps each object in a dictionary;
/// this one builds plain arrays and sorts each object's keys once, when it writes.
///
/// Values of those four types (which no payload has) make it give up (`Unsupported`), so the
/// caller can fall back to Foundation and keep its exact behaviour.
package enum CompactJSONEncoder {
    struct Unsupported: Error {}

    static func encode(_ value: some Encodable) throws -> Data {
        // A top-level value that encodes nothing is an error to Foundation (nested, it is `{}`).
        guard let root = try Node.encoded(value, codingPath: []) else { throw Unsupported() }
        var out: [UInt8] = []
        out.reserveCapacity(256)
        root.write(into: &out)
        return Data(out)
    }

    /// A value being built; objects and arrays are references so containers can keep adding.
    /// `string` as a JSON string literal, escaped as Foundation escapes it.
    package static func quoted(_ string: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(string.utf8.count + 2)
        Node.write(string: string, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    fileprivate enum Node {
        case null
        case literal(String)  // numbers and booleans, already formatted
        case string(String)
        case object(ObjectBox)
        case array(ArrayBox)
        /// What a super encoder writes, known only when the whole value is written.
        case deferred(Writer)

        /// The value's node; `{}` when it encodes nothing, as Foundation writes a nested one.
        static func of(_ value: some Encodable, codingPath: [any CodingKey]) throws -> Node {
            try encoded(value, codingPath: codingPath) ?? .object(ObjectBox())
        }

        /// The value's node, nil when it encodes nothing.
        static func encoded(_ value: some Encodable, codingPath: [any CodingKey]) throws -> Node? {
            if value is Date || value is Data || value is URL || value is Decimal { throw Unsupported() }
            let encoder = Writer(codingPath: codingPath)
            try value.encode(to: encoder)
            return encoder.node
        }

        func write(into out: inout [UInt8]) {
            switch self {
            case .null: out.append(contentsOf: "null".utf8)
            case .literal(let text): out.append(contentsOf: text.utf8)
            case .string(let s): Self.write(string: s, into: &out)
            case .deferred(let writer): (writer.node ?? .object(ObjectBox())).write(into: &out)
            case .array(let box):
                out.append(UInt8(ascii: "["))
                for (i, item) in box.items.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    item.write(into: &out)
                }
                out.append(UInt8(ascii: "]"))
            case .object(let box):
                out.append(UInt8(ascii: "{"))
                // Sorted by UTF-8 bytes, as Foundation's `.sortedKeys`; a key set twice keeps its
                // last value (ties ordered by position, then all but the last dropped).
                let order = box.fields.indices.sorted { a, b in
                    let (ka, kb) = (box.fields[a].key, box.fields[b].key)
                    return ka == kb ? a < b : ka.utf8.lexicographicallyPrecedes(kb.utf8)
                }
                var fields: [(key: String, value: Node)] = []
                fields.reserveCapacity(order.count)
                for i in order {
                    if fields.last?.key == box.fields[i].key { fields[fields.count - 1] = box.fields[i] } else { fields.append(box.fields[i]) }
                }
                for (i, field) in fields.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    Self.write(string: field.key, into: &out)
                    out.append(UInt8(ascii: ":"))
                    field.value.write(into: &out)
                }
                out.append(UInt8(ascii: "}"))
            }
        }

        /// A JSON string literal as Foundation writes it (also what `JSONValue` writes by hand).
        static func write(string: String, into out: inout [UInt8]) {
            out.append(UInt8(ascii: "\""))
            for byte in string.utf8 {
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
                case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
                case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                default: out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    fileprivate final class ObjectBox {
        var fields: [(key: String, value: Node)] = []
    }

    fileprivate final class ArrayBox {
        var items: [Node] = []
    }

    /// Formats numbers as Foundation does: integers as they are, floating point by its shortest
    /// description without a trailing ".0"; NaN and infinities have no JSON form.
    fileprivate static func number<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F, _ codingPath: [any CodingKey]) throws -> Node {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "Unable to encode \(value) directly in JSON."))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .literal(text)
    }

    /// The `Encoder` handed to each value; it ends up holding that value's node.
    fileprivate final class Writer: Encoder {
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        var node: Node?

        init(codingPath: [any CodingKey]) { self.codingPath = codingPath }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            let box: ObjectBox
            if case .object(let existing)? = node { box = existing } else {
                box = ObjectBox()
                node = .object(box)
            }
            return KeyedEncodingContainer(Keyed<Key>(box: box, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            let box: ArrayBox
            if case .array(let existing)? = node { box = existing } else {
                box = ArrayBox()
                node = .array(box)
            }
            return Unkeyed(box: box, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(writer: self) }
    }

    fileprivate struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: ObjectBox
        let codingPath: [any CodingKey]

        private func set(_ node: Node, _ key: Key) { box.fields.append((key.stringValue, node)) }

        mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { set(.literal(value ? "true" : "false"), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { set(try number(value, codingPath + [key]), key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { set(try number(value, codingPath + [key]), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { set(.literal(String(value)), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { set(.literal(String(value)), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { set(.literal(String(value)), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { set(.literal(String(value)), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { set(.literal(String(value)), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { set(.literal(String(value)), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.literal(String(value)), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.literal(String(value)), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.literal(String(value)), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { set(.literal(String(value)), key) }
        mutating func encode(_ value: Int128, forKey key: Key) throws { set(.literal(String(value)), key) }
        mutating func encode(_ value: UInt128, forKey key: Key) throws { set(.literal(String(value)), key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { set(try Node.of(value, codingPath: codingPath + [key]), key) }

        /// A key asked for a nested container again gets the same one back, as with Foundation.
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let nested: ObjectBox
            if case .object(let existing)? = box.fields.last(where: { $0.key == key.stringValue })?.value { nested = existing } else {
                nested = ObjectBox()
                set(.object(nested), key)
            }
            return KeyedEncodingContainer(Keyed<NestedKey>(box: nested, codingPath: codingPath + [key]))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let nested: ArrayBox
            if case .array(let existing)? = box.fields.last(where: { $0.key == key.stringValue })?.value { nested = existing } else {
                nested = ArrayBox()
                set(.array(nested), key)
            }
            return Unkeyed(box: nested, codingPath: codingPath + [key])
        }

        mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

        private func superEncoder(named name: String) -> any Encoder {
            // Whatever the super encoder writes (an object unless it writes something else)
            // becomes the key's value.
            let writer = Writer(codingPath: codingPath)
            box.fields.append((name, .deferred(writer)))
            return writer
        }
    }

    fileprivate struct Unkeyed: UnkeyedEncodingContainer {
        let box: ArrayBox
        let codingPath: [any CodingKey]
        var count: Int { box.items.count }

        mutating func encodeNil() throws { box.items.append(.null) }
        mutating func encode(_ value: Bool) throws { box.items.append(.literal(value ? "true" : "false")) }
        mutating func encode(_ value: String) throws { box.items.append(.string(value)) }
        mutating func encode(_ value: Double) throws { box.items.append(try number(value, codingPath)) }
        mutating func encode(_ value: Float) throws { box.items.append(try number(value, codingPath)) }
        mutating func encode(_ value: Int) throws { box.items.append(.literal(String(value))) }
        mutating func encode(_ value: Int8) throws { box.items.append(.literal(String(value))) }
        mutating func encode(_ value: Int16) throws { box.items.append(.literal(String(value))) }
        mutating func encode(_ value: Int32) throws { box.items.append(.literal(String(value))) }
        mutating func encode(_ value: Int64) throws { box.items.append(.literal(String(value))) }
        mutating func encode(_ value: UInt) throws { box.items.append(.literal(String(value))) }
        mutating func encode(_ value: UInt8) throws { box.items.append(.literal(String(value))) }
        mutating func encode(_ value: UInt16) throws { box.items.append(.literal(String(value))) }
        mutating func encode(_ value: UInt32) throws { box.items.append(.literal(String(value))) }
        mutating func encode(_ value: UInt64) throws { box.items.append(.literal(String(value))) }
        mutating func encode(_ value: Int128) throws { box.items.append(.literal(String(value))) }
        mutating func encode(_ value: UInt128) throws { box.items.append(.literal(String(value))) }
        mutating func encode<T: Encodable>(_ value: T) throws { box.items.append(try Node.of(value, codingPath: codingPath)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let nested = ObjectBox()
            box.items.append(.object(nested))
            return KeyedEncodingContainer(Keyed<NestedKey>(box: nested, codingPath: codingPath))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = ArrayBox()
            box.items.append(.array(nested))
            return Unkeyed(box: nested, codingPath: codingPath)
        }

        mutating func superEncoder() -> any Encoder {
            let writer = Writer(codingPath: codingPath)
            box.items.append(.deferred(writer))
            return writer
        }
    }

    fileprivate struct Single: SingleValueEncodingContainer {
        let writer: Writer
        var codingPath: [any CodingKey] { writer.codingPath }

        mutating func encodeNil() throws { writer.node = .null }
        mutating func encode(_ value: Bool) throws { writer.node = .literal(value ? "true" : "false") }
        mutating func encode(_ value: String) throws { writer.node = .string(value) }
        mutating func encode(_ value: Double) throws { writer.node = try number(value, codingPath) }
        mutating func encode(_ value: Float) throws { writer.node = try number(value, codingPath) }
        mutating func encode(_ value: Int) throws { writer.node = .literal(String(value)) }
        mutating func encode(_ value: Int8) throws { writer.node = .literal(String(value)) }
        mutating func encode(_ value: Int16) throws { writer.node = .literal(String(value)) }
        mutating func encode(_ value: Int32) throws { writer.node = .literal(String(value)) }
        mutating func encode(_ value: Int64) throws { writer.node = .literal(String(value)) }
        mutating func encode(_ value: UInt) throws { writer.node = .literal(String(value)) }
        mutating func encode(_ value: UInt8) throws { writer.node = .literal(String(value)) }
        mutating func encode(_ value: UInt16) throws { writer.node = .literal(String(value)) }
        mutating func encode(_ value: UInt32) throws { writer.node = .literal(String(value)) }
        mutating func encode(_ value: UInt64) throws { writer.node = .literal(String(value)) }
        mutating func encode(_ value: Int128) throws { writer.node = .literal(String(value)) }
        mutating func encode(_ value: UInt128) throws { writer.node = .literal(String(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { writer.node = try Node.of(value, codingPath: codingPath) }
    }
}

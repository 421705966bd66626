import Foundation

/// Prints Encodable values as JSON on standard output.
enum JSONOutput {
    static func string(_ value: some Encodable, pretty: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func print(_ value: some Encodable, pretty: Bool = true) throws {
        Swift.print(try string(value, pretty: pretty))
    }
}

/// Reads a file given on the command line, with an error that names it.
func readFile(_ path: String) throws -> Data {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CommandError("cannot read \(path)")
    }
    return data
}

struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

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
package func readFile(_ path: String) throws -> Data {
    guard FileManager.default.fileExists(atPath: path) else { throw CommandError("\(path): no such file") }
    guard let data = FileManager.default.contents(atPath: path) else { throw CommandError("\(path): cannot be read") }
    return data
}

/// A command's failure, said in words that name what failed and what to do: ArgumentParser
/// prints it as `Error: …` without the usage text (unlike `ValidationError`, which is for
/// arguments that do not parse). Every `livehub` command throws it.
package struct CommandError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

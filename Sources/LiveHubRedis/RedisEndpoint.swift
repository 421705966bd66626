/// Where a Redis server is and how to log in to it, parsed from a `redis://` URL.
///
/// Accepted form: `redis://[:password@]host[:port][/db]`, with IPv6 hosts in brackets
/// (`redis://[::1]:6380`). The password may be percent-encoded (needed when it contains `@`, `:`
/// or `/`) and is sent with AUTH on every (re)connection; `db` is sent with SELECT when not 0.
/// Pub/sub channels are global in Redis, so `database` does not partition them.
package struct RedisEndpoint: Sendable, Hashable {
    package let host: String
    package let port: Int
    package let password: String?
    package let database: Int

    /// The port Redis listens on unless told otherwise.
    package static let defaultPort = 6379

    package init(host: String, port: Int, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.password = password
        self.database = database
    }

    package init(url: String) throws(RedisError) {
        let schemeEnd = url.range(of: "://")
        guard let schemeEnd else {
            throw .badURL("\"\(url)\" has no scheme; expected redis://host[:port][/db]")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "redis" else {
            // rediss:// would need TLS, which hiredis 0.14 does not have.
            throw .badURL("scheme \"\(scheme)\" is not supported; expected redis://host[:port][/db]")
        }
        let rest = url[schemeEnd.upperBound...]
        if rest.contains("?") || rest.contains("#") {
            throw .badURL("query parameters and fragments are not supported in \"\(url)\"")
        }
        let authority: Substring
        let path: Substring
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        } else {
            authority = rest
            path = ""
        }

        // Split at the last "@": a percent-encoded password cannot contain a raw "@" anyway.
        var hostPort = authority
        var password: String? = nil
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            guard let colon = userInfo.firstIndex(of: ":"), userInfo[..<colon].isEmpty else {
                throw .badURL("user names are not supported; put the password after a colon: redis://:secret@host")
            }
            let encoded = userInfo[userInfo.index(after: colon)...]
            guard let decoded = Self.percentDecoded(encoded) else {
                throw .badURL("the password has an invalid percent escape")
            }
            password = decoded.isEmpty ? nil : decoded
        }

        let (host, port) = try Self.hostAndPort(hostPort, url: url)
        var database = 0
        if !path.isEmpty {
            guard let number = Int(path), number >= 0 else {
                throw .badURL("the path must be a database number like /0, not \"/\(path)\"")
            }
            database = number
        }
        self.init(host: host, port: port, password: password, database: database)
    }

    private static func hostAndPort(_ text: Substring, url: String) throws(RedisError) -> (String, Int) {
        var host: Substring
        var portText: Substring? = nil
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw .badURL("the IPv6 address in \"\(url)\" has no closing bracket")
            }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else {
                    throw .badURL("unexpected \"\(after)\" after the IPv6 address in \"\(url)\"")
                }
                portText = after.dropFirst()
            }
        } else {
            let colons = text.filter { $0 == ":" }.count
            guard colons <= 1 else {
                throw .badURL("IPv6 addresses must be in brackets, as in redis://[::1]:6379")
            }
            if let colon = text.firstIndex(of: ":") {
                host = text[..<colon]
                portText = text[text.index(after: colon)...]
            } else {
                host = text
            }
        }
        guard !host.isEmpty else { throw .badURL("\"\(url)\" has no host") }
        var port = defaultPort
        if let portText {
            guard let number = Int(portText), (1...65_535).contains(number) else {
                throw .badURL("the port must be a number from 1 to 65535, not \"\(portText)\"")
            }
            port = number
        }
        return (String(host), port)
    }

    /// Decodes `%XX` escapes; nil when an escape is malformed or the result is not UTF-8.
    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = utf8.next().flatMap(hexValue), let low = utf8.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

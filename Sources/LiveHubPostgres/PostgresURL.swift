import Foundation

/// Where the cluster's database is and who connects to it, read from
/// `postgres://user[:password]@host[:port]/database` (or `postgresql://`). TLS is off: the
/// database is expected on a trusted network (loopback in tests).
package struct PostgresURL: Sendable, Equatable {
    package var host: String
    package var port: Int
    package var user: String
    package var password: String?
    package var database: String

    /// The URL without its password, for logs and error messages.
    package var redacted: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
    }

    package init(parsing text: String) throws(PostgresURLError) {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw .empty }
        guard let schemeEnd = text.range(of: "://") else { throw .scheme(nil) }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "postgres" || scheme == "postgresql" else { throw .scheme(scheme) }
        var rest = Substring(text[schemeEnd.upperBound...])
        if rest.contains("#") { throw .unsupported("a #fragment") }

        // Query parameters: only the one that restates what this adapter does anyway.
        if let q = rest.firstIndex(of: "?") {
            for parameter in rest[rest.index(after: q)...].split(separator: "&") where parameter != "sslmode=disable" {
                throw .unsupported("the parameter \(parameter.split(separator: "=").first ?? parameter)")
            }
            rest = rest[..<q]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw .missingDatabase }
        let authority = rest[..<slash]
        guard let database = rest[rest.index(after: slash)...].removingPercentEncoding, !database.isEmpty else { throw .missingDatabase }
        guard !database.contains("/") else { throw .unsupported("a path after the database name") }

        // The last "@" ends the user part: a password may contain an unencoded "@".
        guard let at = authority.lastIndex(of: "@") else { throw .missingUser }
        let userInfo = authority[..<at]
        let hostPort = authority[authority.index(after: at)...]
        let userPart = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let rawUser = userPart.first, !rawUser.isEmpty else { throw .missingUser }
        guard let user = rawUser.removingPercentEncoding else { throw .badEncoding("user") }
        if userPart.count == 2 {
            guard let password = userPart[1].removingPercentEncoding else { throw .badEncoding("password") }
            self.password = password
        } else {
            self.password = nil
        }

        let (host, portText) = try Self.split(hostPort)
        guard !host.isEmpty else { throw .missingHost }
        if let portText {
            guard let port = Int(portText), (1...65_535).contains(port) else { throw .port(String(portText)) }
            self.port = port
        } else {
            self.port = 5432
        }
        self.host = host
        self.user = user
        self.database = database
    }

    /// `host[:port]` or `[ipv6][:port]`.
    private static func split(_ hostPort: Substring) throws(PostgresURLError) -> (String, Substring?) {
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw .missingHost }
            let host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.isEmpty { return (host, nil) }
            guard after.hasPrefix(":") else { throw .missingHost }
            return (host, after.dropFirst())
        }
        let parts = hostPort.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        return (String(parts[0]), parts.count == 2 ? parts[1] : nil)
    }
}

/// What is wrong with a database URL. The description names the part and the expected form,
/// and never repeats a password.
package enum PostgresURLError: Error, Equatable, CustomStringConvertible {
    case empty
    case scheme(String?)
    case missingUser
    case missingHost
    case port(String)
    case missingDatabase
    case badEncoding(String)
    case unsupported(String)

    package var description: String {
        let what: String
        switch self {
        case .empty: what = "it is empty"
        case .scheme(let s): what = s.map { "the scheme is \($0)://, not postgres:// or postgresql://" } ?? "it does not start with postgres://"
        case .missingUser: what = "it names no user (user@host)"
        case .missingHost: what = "it names no host"
        case .port(let p): what = "the port \"\(p)\" is not a number from 1 to 65535"
        case .missingDatabase: what = "it names no database (/database after the host)"
        case .badEncoding(let part): what = "the \(part) has an invalid %-escape"
        case .unsupported(let thing): what = "\(thing) is not supported (TLS is off; only sslmode=disable may be given)"
        }
        return "invalid PostgreSQL URL: \(what); expected postgres://user[:password]@host[:port]/database"
    }
}

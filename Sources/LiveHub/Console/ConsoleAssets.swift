import Crypto
import Foundation

/// The console's static files (`Console/Web`, shipped as package resources), read once at start
/// with a content-hash ETag each, so a browser revalidates with one cheap request.
package struct ConsoleAssets: Sendable {
    package struct Asset: Sendable {
        package let body: Data
        package let contentType: String
        /// A strong validator: the first 16 bytes of the SHA-256 of the body, quoted.
        package let etag: String
    }

    private let files: [String: Asset]

    /// The assets by path relative to `Web/` (`index.html`, `views/agent.js`).
    package init(files: [String: Data]) {
        var assets: [String: Asset] = [:]
        for (path, body) in files {
            let digest = SHA256.hash(data: body).prefix(16).map { String(format: "%02x", $0) }.joined()
            assets[path] = Asset(body: body, contentType: Self.contentType(of: path), etag: "\"\(digest)\"")
        }
        self.files = assets
    }

    /// The files shipped with the package; empty when the resource bundle is missing (the API
    /// still serves, and `/` answers 404).
    package static func bundled() -> ConsoleAssets {
        guard let root = Bundle.module.url(forResource: "Web", withExtension: nil) else { return ConsoleAssets(files: [:]) }
        return ConsoleAssets(files: read(root))
    }

    /// The files under `directory` (`LIVEHUB_CONSOLE_DIR`).
    package static func directory(_ path: String) -> ConsoleAssets {
        ConsoleAssets(files: read(URL(fileURLWithPath: path, isDirectory: true)))
    }

    static func read(_ root: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        let base = root.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return out }
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true, let data = try? Data(contentsOf: url) else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(base + "/") else { continue }
            out[String(path.dropFirst(base.count + 1))] = data
        }
        return out
    }

    package subscript(path: String) -> Asset? { files[path] }
    package var count: Int { files.count }

    static func contentType(of path: String) -> String {
        switch path.split(separator: ".").last.map({ $0.lowercased() }) {
        case "html": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "json": "application/json"
        case "woff2": "font/woff2"
        default: "application/octet-stream"
        }
    }
}

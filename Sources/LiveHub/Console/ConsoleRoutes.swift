import Hummingbird
import HTTPTypes

/// `GET /` (the console's page) and `GET /console/…` (its modules and styles), with a strict
/// Content-Security-Policy: scripts, styles and connections from this origin only, nothing
/// inline, framed only by GHL's app domains.
struct ConsoleRoutes: Sendable {
    let assets: ConsoleAssets
    let frameAncestors: [String]

    func register(on router: Router<AppRequestContext>) {
        router.get("/") { request, _ in try serve("index.html", request) }
        router.get("/console/**") { request, context in
            let path = context.parameters.getCatchAll().joined(separator: "/")
            return try serve(path, request)
        }
    }

    /// Not among swift-http-types' named fields; a valid token, so never nil.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")

    var policy: String {
        let ancestors = frameAncestors.isEmpty ? "'none'" : frameAncestors.joined(separator: " ")
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors \(ancestors)"
    }

    func serve(_ path: String, _ request: Request) throws -> Response {
        // `..` and hidden files never name an asset: the table holds only what was shipped.
        guard !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }), let asset = assets[path] else { throw APIError.notFound }
        var headers: HTTPFields = [
            .contentType: asset.contentType, .eTag: asset.etag, .cacheControl: "no-cache",
            .contentSecurityPolicy: policy, .xContentTypeOptions: "nosniff",
        ]
        if let name = Self.referrerPolicy { headers[name] = "no-referrer" }
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == asset.etag || $0 == "*" }) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(bytes: asset.body)))
    }
}

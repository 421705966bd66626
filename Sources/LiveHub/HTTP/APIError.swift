import HTTPTypes
import Hummingbird

/// An error answer of LiveHub's HTTP API: its status and `{"error": code, "message": …}`.
/// Handlers throw it; Hummingbird writes it (`HTTPResponseError`).
package struct APIError: HTTPResponseError, Equatable {
    package let status: HTTPResponse.Status
    package let code: String
    package let message: String?
    package var headers: HTTPFields

    package init(_ status: HTTPResponse.Status, _ code: String, _ message: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    /// `{"error": code, "message": …}`, also written before an upgrade is refused.
    var body: String {
        var body = #"{"error":"# + JSONValue.string(code).encoded
        if let message { body += #","message":"# + JSONValue.string(message).encoded }
        return body + "}"
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static let unauthorized = APIError(.unauthorized, "unauthorized", "a valid access token is required")
    static func forbidden(_ message: String? = nil) -> APIError { APIError(.forbidden, "forbidden", message) }
    static let notFound = APIError(.notFound, "not_found")
    static func badRequest(_ code: String, _ message: String) -> APIError { APIError(.badRequest, code, message) }

    /// 503 with `Retry-After`: the caller (GHL) tries again later.
    static func unavailable(_ code: String, _ message: String? = nil, retryAfter seconds: Int) -> APIError {
        APIError(.serviceUnavailable, code, message, headers: [.retryAfter: String(seconds)])
    }
}

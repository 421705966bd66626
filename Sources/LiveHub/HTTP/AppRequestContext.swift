import Foundation
import Hummingbird

/// The request context of every route: Hummingbird's core context, the caller's verified
/// token once `AuthenticationMiddleware` has run, and LiveHub's JSON encoding (sorted keys, so
/// answers are stable).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthenticationMiddleware` on the routes it guards.
    public var identity: AccessToken?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
    }

    public var responseEncoder: JSONEncoder { Self.encoder }

    /// The caller, on a route behind `AuthenticationMiddleware`.
    func caller() throws(APIError) -> AccessToken {
        guard let identity else { throw .unauthorized }
        return identity
    }

    /// JSONEncoder is Sendable and never reconfigured: one is shared.
    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
}

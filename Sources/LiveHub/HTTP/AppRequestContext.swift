import Actors
import Foundation
import Hummingbird

/// The request context of every route: Hummingbird's core context, the caller's verified
/// token once `AuthenticationMiddleware` has run, and LiveHub's JSON encoding (sorted keys, so
/// answers are stable).
package struct AppRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// Set by `AuthenticationMiddleware` on the routes it guards.
    package var identity: AccessToken?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
    }

    package var responseEncoder: JSONEncoder { PayloadEncoder.encoder }

    /// The caller, on a route behind `AuthenticationMiddleware`.
    func caller() throws(APIError) -> AccessToken {
        guard let identity else { throw .unauthorized }
        return identity
    }

}

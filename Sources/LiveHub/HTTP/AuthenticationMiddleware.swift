import Hummingbird

/// Lets through only requests with a valid `Authorization: Bearer` access token, and puts its
/// claims in the context (`AppRequestContext.identity`); others get 401. Which conversations or
/// locations a caller may see is each route's business.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tokens: TokenAuthority

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = await tokens.authenticate(request) else { throw APIError.unauthorized }
        var context = context
        context.identity = token
        return try await next(request, context)
    }
}

import Hummingbird

/// Counts every request by route and status, and times it (`livehub_http_requests_total`,
/// `livehub_http_request_seconds`). The route is the matched pattern (`/v1/conversations/{id}`),
/// never the raw path, so the label set stays bounded.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.request(route: context.endpointPath ?? "unmatched", status: Int(response.status.code), duration: .now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(route: context.endpointPath ?? "unmatched", status: Int(status), duration: .now - start)
            throw error
        }
    }
}

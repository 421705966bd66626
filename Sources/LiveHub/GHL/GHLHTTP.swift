import AsyncHTTPClient

/// The HTTP client for GHL's API.
enum GHLHTTP {
    /// Process-wide, like `HTTPClient.shared` (which allows only 8 HTTP/1 connections per host,
    /// too few for 64 sends in flight against a ~100 ms API). It lives as long as the process,
    /// so it is never shut down.
    static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: .init(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))
}

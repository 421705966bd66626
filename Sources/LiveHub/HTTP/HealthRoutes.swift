import Hummingbird

/// `GET /healthz` (the process answers) and `GET /readyz` (storage takes writes; 503 otherwise).
struct HealthRoutes: Sendable {
    let health: any StorageHealth

    struct Status: ResponseEncodable {
        let status: String
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ in Status(status: "ok") }
        router.get("/readyz") { _, _ -> Status in
            guard await health.isWritable() else { throw APIError(.serviceUnavailable, "storage_unwritable", "storage does not take writes") }
            return Status(status: "ready")
        }
    }
}

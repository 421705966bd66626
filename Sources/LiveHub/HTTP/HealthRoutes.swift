import Hummingbird

/// `GET /healthz` (the process answers) and `GET /readyz` (storage is writable).
struct HealthRoutes: Sendable {
    let storage: Storage

    func register(on router: Router<AppContext>) {
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("/readyz") { _, _ in
            let ok = await storage.isWritable()
            return Response(
                status: ok ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: ok ? #"{"status":"ready"}"# : #"{"status":"storage_unwritable"}"#)))
        }
    }
}

/// The login links already used: a link signs a browser in once, on any node, even across a
/// restart.
package protocol LoginTicketLedger: Sendable {
    /// Records ticket `id` (valid until `expiresAt`, epoch seconds) as used; false when it was
    /// used before. Forgets tickets expired before `now`, which can no longer be presented.
    func redeem(_ id: String, expiresAt: Double, now: Double) async throws -> Bool
}

/// Leases of work only one instance may do at a time, kept in a store that several instances share (issue 17):
/// PostgreSQL (`PostgresDatabase`). Expiry is by the store's clock, the one clock all instances share.
public protocol LeaseStore: Sendable {
    /// Takes the lease `name` for `owner` for `duration` when nobody holds it or it expired, raising its epoch;
    /// nil when another owner holds it.
    func acquire(_ name: String, owner: String, for duration: Duration) async throws -> Lease?
    /// Extends an unexpired lease still held; false otherwise (its owner must stop the lease's work).
    func renew(_ lease: Lease, for duration: Duration) async throws -> Bool
    /// Gives the lease up at once, for another instance to take without waiting for its expiry.
    func release(_ lease: Lease) async throws
    /// Every lease taken so far, with its holder now.
    func leaseHolders() async throws -> [LeaseHolder]
}

/// The right to do one piece of work that only one FloodWatch instance may do at a time (issue 17): store the
/// readings of a slot of stations, send the alerts. Held until it expires, by the database's clock, and renewed
/// before then. Leases exist on a store that several instances share (PostgreSQL, `LeaseStore`).
///
/// Every taking of a lease raises its `epoch`. A write done under a lease checks, in its own transaction, that the
/// lease is still this owner's at this epoch and unexpired, and locks the lease's row until it commits
/// (`PostgresDatabase.checkFence`): an instance paused past its lease (SIGSTOP, a stall, a network partition)
/// cannot write when it wakes, and the next owner cannot take the lease while a write under it is in flight.
public struct Lease: Sendable, Hashable, CustomStringConvertible {
    /// What the lease is for: `slot-3`, `alerts`.
    public let name: String
    /// Who holds it: one instance's id (`host:pid:random`), the same for all its leases.
    public let owner: String
    /// Raised at each taking: the fencing token.
    public let epoch: Int64

    public init(name: String, owner: String, epoch: Int64) {
        self.name = name
        self.owner = owner
        self.epoch = epoch
    }

    public var description: String { "\(name) (epoch \(epoch))" }
}

/// A write refused because its lease was taken over or expired: the instance must stop the work the lease was for,
/// without acknowledging what it read (the ingest path stops on it; the next owner gets the messages).
public struct LeaseLost: Error, CustomStringConvertible {
    public let lease: Lease

    public init(lease: Lease) { self.lease = lease }

    public var description: String {
        "the lease \(lease) is no longer this instance's: another instance took it over, or it expired"
    }
}

/// Who holds a lease now, as the database says.
public struct LeaseHolder: Sendable, Hashable {
    public let name: String
    /// Nil when released.
    public let owner: String?
    public let epoch: Int64
    /// Milliseconds left before it expires by the database's clock; zero or less when expired.
    public let remainingMilliseconds: Int64

    public init(name: String, owner: String?, epoch: Int64, remainingMilliseconds: Int64) {
        self.name = name
        self.owner = owner
        self.epoch = epoch
        self.remainingMilliseconds = remainingMilliseconds
    }
}

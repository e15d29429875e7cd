import PostgresNIO
import Storage

/// Every call runs on the lease supervisor's own connection (`leaseConnection`), failing within seconds while the
/// server is away, and never queued behind the pool's other callers.
extension PostgresDatabase: LeaseStore {
    /// `body` in a transaction on `leaseConnection`, its errors told in words (they reach `/readyz`).
    private func leaseTransaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result)
        async throws -> Result
    {
        do {
            return try await leaseConnection.withTransaction(body)
        } catch {
            throw PostgresStoreError.explaining(error)
        }
    }

    /// Takes the lease `name` for `owner` for `duration`, when nobody holds it or its holder let it expire; nil
    /// when another owner holds it. Taking it raises its epoch, also when `owner` held it before and let it expire:
    /// whatever it did under the old epoch is fenced off.
    ///
    /// Waits (up to `leaseLockTimeout`) for the writes in flight under the lease (`checkFence`): `FOR UPDATE` is
    /// the one row lock that their `FOR KEY SHARE` holds off. The upsert alone would not wait: an update that
    /// changes no key column takes `FOR NO KEY UPDATE`.
    public func acquire(_ name: String, owner: String, for duration: Duration) async throws -> Lease? {
        let rows = try await leaseTransaction { [logger] connection in
            try await connection.checkedQuery(Self.leaseLockTimeout, logger: logger)
            try await connection.checkedQuery("SELECT 1 FROM leases WHERE name = \(name) FOR UPDATE", logger: logger)
            return try await connection.checkedQuery(
                """
                INSERT INTO leases AS l (name, owner, epoch, expires_at, taken_at)
                VALUES (\(name), \(owner), 1, now() + \(Self.milliseconds(duration)) * interval '1 millisecond', now())
                ON CONFLICT (name) DO UPDATE
                SET owner = excluded.owner, epoch = l.epoch + 1, expires_at = excluded.expires_at, taken_at = now()
                WHERE l.owner IS NULL OR l.expires_at <= now()
                RETURNING l.epoch
                """, logger: logger
            ).collect()
        }
        guard let epoch = try rows.first?.decode(Int64.self) else { return nil }
        return Lease(name: name, owner: owner, epoch: epoch)
    }

    /// Extends `lease` to `duration` from now; false when it is no longer held (taken over, released, or expired:
    /// an expired lease is not renewed, even if nobody took it, since its owner should have stopped by then).
    public func renew(_ lease: Lease, for duration: Duration) async throws -> Bool {
        let rows = try await leaseTransaction { [logger] connection in
            try await connection.checkedQuery(Self.leaseLockTimeout, logger: logger)
            return try await connection.checkedQuery(
                """
                UPDATE leases SET expires_at = now() + \(Self.milliseconds(duration)) * interval '1 millisecond'
                WHERE name = \(lease.name) AND owner = \(lease.owner) AND epoch = \(lease.epoch) AND expires_at > now()
                RETURNING epoch
                """, logger: logger
            ).collect()
        }
        return !rows.isEmpty
    }

    /// A lease's row is locked while a write under it is in flight (`checkFence`): taking it waits at most this long
    /// for that write, and fails otherwise, to be tried at the next renewal; so does any lease call on a row another
    /// one holds. A supervisor waiting on the row of a paused instance's slot would let its own leases expire.
    static let leaseLockTimeout: PostgresQuery = "SET LOCAL lock_timeout = '1s'"

    /// Gives `lease` up at once, for another instance to take without waiting for its expiry. Nothing when it is
    /// no longer held.
    public func release(_ lease: Lease) async throws {
        try await leaseTransaction { [logger] connection -> Void in
            try await connection.checkedQuery(
                """
                UPDATE leases SET owner = NULL, expires_at = NULL
                WHERE name = \(lease.name) AND owner = \(lease.owner) AND epoch = \(lease.epoch)
                """, logger: logger)
        }
    }

    /// Every lease ever taken, by name, with its holder now.
    public func leaseHolders() async throws -> [LeaseHolder] {
        try await leaseTransaction { [logger] connection in
            var holders: [LeaseHolder] = []
            for try await (name, owner, epoch, remaining) in try await connection.checkedQuery(
                """
                SELECT name, owner, epoch,
                       COALESCE((extract(epoch FROM expires_at - now()) * 1000)::bigint, 0)
                FROM leases ORDER BY name
                """, logger: logger
            ).decode((String, String?, Int64, Int64).self) {
                holders.append(
                    LeaseHolder(name: name, owner: owner, epoch: epoch, remainingMilliseconds: remaining))
            }
            return holders
        }
    }

    /// Inside a write's transaction: throws `LeaseLost` unless `lease` is still held, at its epoch and unexpired at
    /// the transaction's start, and locks its row until the transaction ends, so that no instance takes the lease
    /// over while the write is in flight (the taker's `FOR UPDATE` waits for this commit, then finds the lease as
    /// it is).
    ///
    /// `FOR KEY SHARE`, the weakest row lock: the owner's own renewal (an update of `expires_at`, no key column)
    /// goes through while its slot writes. With `FOR SHARE` a renewal waited for the batch in flight, and a batch
    /// longer than the renewal's lock timeout (a backlog after a restart, on a loaded machine) cost the instance its
    /// own slot (CI, DurabilityTests).
    static func checkFence(_ lease: Lease, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.checkedQuery(
            """
            SELECT epoch FROM leases
            WHERE name = \(lease.name) AND owner = \(lease.owner) AND epoch = \(lease.epoch) AND expires_at > now()
            FOR KEY SHARE
            """, logger: logger
        ).collect()
        guard !rows.isEmpty else { throw LeaseLost(lease: lease) }
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

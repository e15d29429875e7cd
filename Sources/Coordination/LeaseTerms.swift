/// How long leases last and how often they are renewed: the trade between how soon a dead instance's slots move
/// (at most `duration` plus one `renewEvery`) and how long a stall (a pause of the machine, a slow database) an
/// instance survives without losing them.
public struct LeaseTerms: Sendable, Hashable {
    /// How long a lease lasts unrenewed, by the database's clock.
    public var duration: Duration

    public init(duration: Duration = .seconds(10)) {
        self.duration = duration
    }

    /// Leases are renewed three times per `duration`: two renewals may fail before the work must stop.
    public var renewEvery: Duration { duration / 3 }

    /// A holder that could not renew stops the lease's work this long before the lease would expire, counted by
    /// its own clock from the start of its last renewal: the clocks of the machine and the database may differ by
    /// the time a renewal takes, never by more.
    public var margin: Duration { duration / 5 }
}

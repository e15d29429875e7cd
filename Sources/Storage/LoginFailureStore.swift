/// Failed HTTP authentications kept where every FloodWatch instance sees them, so that a script guessing tokens
/// cannot spread its attempts over the instances behind a load balancer: PostgreSQL, past one machine. One
/// instance on the SQLite file keeps them in memory (`FailedLogins` alone) and needs none.
public protocol LoginFailureStore: AnyObject, Sendable {
    /// Records a failed authentication from `address` at `now`, and returns how many failures the address has had
    /// since `since` (this one included) and when the earliest of them was.
    func recordLoginFailure(_ address: String, at now: Int64, since: Int64) async throws -> (count: Int, first: Int64)
    /// The failures of `address` since `since`, and the earliest of them (nil when none).
    func loginFailures(_ address: String, since: Int64) async throws -> (count: Int, first: Int64?)
}

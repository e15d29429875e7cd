/// When a failed delivery is tried again: after `first`, doubling up to `maximum` between attempts, until
/// `giveUpAfter` since the notice was made; then the delivery is marked failed and reported.
public struct RetryPolicy: Sendable, Hashable {
    public var firstMilliseconds: Int64
    public var maximumMilliseconds: Int64
    public var giveUpAfterMilliseconds: Int64

    public init(
        firstMilliseconds: Int64 = 10_000, maximumMilliseconds: Int64 = 3_600_000,
        giveUpAfterMilliseconds: Int64 = 86_400_000
    ) {
        self.firstMilliseconds = firstMilliseconds
        self.maximumMilliseconds = maximumMilliseconds
        self.giveUpAfterMilliseconds = giveUpAfterMilliseconds
    }

    /// - Parameters:
    ///   - failedAttempts: attempts made so far, the one that just failed included.
    ///   - createdAt: when the delivery was created.
    /// - Returns: when to try again, or nil to give up.
    public func nextAttempt(failedAttempts: Int, createdAt: Int64, now: Int64) -> Int64? {
        let doublings = min(max(failedAttempts - 1, 0), 40)
        let delay = min(
            maximumMilliseconds,
            firstMilliseconds.multipliedReportingOverflow(by: 1 << doublings).overflow
                ? maximumMilliseconds : firstMilliseconds << doublings)
        let deadline = createdAt + giveUpAfterMilliseconds
        return now >= deadline ? nil : min(now + delay, deadline)
    }
}

import Testing

/// At most `TakingTurns.places` suites that carry it run at once, the others waiting for a place.
///
/// Each integration test starts its own mosquitto broker and a service, in process or as a `floodwatch` child, and
/// some a PostgreSQL server. Thirty-one such suites started all at once on the two cores of CI took the whole first
/// minute of the run between them: 38 failures in one run, none of them wrong behaviour, most "the ingest service
/// did not subscribe at the broker" after its 30 s. Taking turns, each test gets nearer the machine its timeouts
/// were written for, and the run is no longer: the cores were the limit.
///
/// A place is held by a whole suite, not by a test: a test's time limit counts from before its scope, so a test
/// waiting for a place behind the five-minute crash suite would be failed for it.
public struct TakingTurns: SuiteTrait, TestScoping {
    /// Suites at once, at most: enough to keep two cores busy while most of their tests wait on a process or a
    /// socket.
    public static let places = 6
    static let turnstile = Turnstile(places: places)

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        test.isSuite ? self : nil
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await Self.turnstile.inTurn { try await function() }
    }
}

extension Trait where Self == TakingTurns {
    /// The suite takes a place among `TakingTurns.places`; see `TakingTurns`.
    public static var takingTurns: Self { TakingTurns() }
}

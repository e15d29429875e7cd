import Testing

/// The suites of this target, run one test at a time: each test starts a PostgreSQL server of its own, and a dozen
/// clusters initialised at once on a 2-core machine slowed the rest of the run (once, an integration test's 500
/// readings took more than 20 s to arrive).
@Suite(.serialized) enum PostgresStoreSuite {}

/// How often the simulated gauges misbehave the way real ones in the field do.
///
/// The rates are per reporting interval, so they read differently per mode: with the defaults, the nine
/// bundled stations reporting every 5 s lose a link every two or three minutes (a lively demonstration), while
/// accelerated history at one report per 5 minutes has one every two or three hours. One message in 50 is
/// duplicated, one in 200 preceded by a bad one, and a quarter of the stations report SenML.
/// `--clean` sets all of them to zero.
struct GaugeBehaviour: Sendable, Hashable {
    /// Chance, per station and reporting interval, that the station's link goes down.
    var linkLossRate: Double = 0.004
    /// How many reporting intervals a lost link stays down; the readings of those intervals are kept and
    /// uploaded as one backlog when it comes back.
    var outageIntervals: ClosedRange<Int> = 3...12
    /// Chance that a message is published a second time (a gauge that missed the acknowledgement and retries).
    var duplicateRate: Double = 0.02
    /// Chance that a message is preceded by a broken one (see `BadMessage`).
    var badRate: Double = 0.005
    /// Share of the stations with both level and rain that send the two together as a SenML pack.
    var senMLShare: Double = 0.25

    /// Every gauge perfect: one form-a message per reading, nothing lost, repeated or broken.
    static let clean = GaugeBehaviour(
        linkLossRate: 0, outageIntervals: 1...1, duplicateRate: 0, badRate: 0, senMLShare: 0)

    var isClean: Bool { linkLossRate == 0 && duplicateRate == 0 && badRate == 0 && senMLShare == 0 }
}

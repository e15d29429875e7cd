import CoreMetrics
import Gauges
import Storage
import Warnings

/// The counters of ingestion, created once. Labels follow Prometheus naming; the dimensions are bounded sets: the
/// rejection reason code, the warning event, and on a shared PostgreSQL store the session of
/// `floodwatch_broker_connected` (`slot-<k>`, `rejects`), since an instance runs one session per lease it holds and
/// the counters add up across them while a connection state does not.
struct IngestMetrics: Sendable {
    let messagesReceived: Counter
    let readingsStored: Counter
    let readingsDuplicate: Counter
    let commitFailures: Counter
    let commitDuration: Timer
    let brokerConnected: Gauge
    /// The broker's own count of messages it dropped since it started.
    let brokerDropped: Gauge
    /// Gaps in gauges' counters found, and the readings missing in them.
    let sequenceGaps: Counter
    let readingsMissing: Counter
    /// `floodwatch_warning_events_total{event}`: raised, escalated, deescalated, cleared.
    let warningEvents: [WarningEventKind: Counter]
    private let rejected: [String: Counter]

    init(factory: any MetricsFactory, session: String? = nil) {
        messagesReceived = Counter(label: "floodwatch_messages_received_total", factory: factory)
        readingsStored = Counter(label: "floodwatch_readings_stored_total", factory: factory)
        readingsDuplicate = Counter(label: "floodwatch_readings_duplicate_total", factory: factory)
        commitFailures = Counter(label: "floodwatch_commit_failures_total", factory: factory)
        commitDuration = Timer(label: "floodwatch_commit_duration", factory: factory)
        brokerConnected = Gauge(
            label: "floodwatch_broker_connected", dimensions: session.map { [("session", $0)] } ?? [],
            factory: factory)
        brokerDropped = Gauge(label: "floodwatch_broker_dropped_messages", factory: factory)
        sequenceGaps = Counter(label: "floodwatch_sequence_gaps_total", factory: factory)
        readingsMissing = Counter(label: "floodwatch_readings_missing_total", factory: factory)
        var rejected: [String: Counter] = [:]
        for code in RejectionReason.allCodes {
            rejected[code] = Counter(
                label: "floodwatch_rejected_total", dimensions: [("reason", code)], factory: factory)
        }
        self.rejected = rejected
        var warningEvents: [WarningEventKind: Counter] = [:]
        for kind in WarningEventKind.allCases {
            warningEvents[kind] = Counter(
                label: "floodwatch_warning_events_total", dimensions: [("event", kind.rawValue)], factory: factory)
        }
        self.warningEvents = warningEvents
    }

    func record(_ outcome: IngestOutcome) {
        readingsStored.increment(by: outcome.stored)
        readingsDuplicate.increment(by: outcome.duplicates)
        sequenceGaps.increment(by: outcome.gaps.count)
        readingsMissing.increment(by: Int(outcome.gaps.reduce(0) { $0 + $1.missing }))
        for record in outcome.rejected {
            rejected[record.code]?.increment()
        }
    }
}

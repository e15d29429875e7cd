import Gauges

/// Replay mode: the rows of a recorded flood, published in file order as form a, at `rate` messages per
/// second or as fast as the broker takes them.
struct ReplayRun {
    let replay: CSVReplay
    /// Messages per second; nil for as fast as possible.
    let rate: Double?

    /// - Returns: the number of rows published.
    func run(session: BrokerSession) -> Int {
        let start = WallClock.system()
        var lastSummary = Stopwatch.seconds()
        var published = 0
        for (index, entry) in replay.measurements.enumerated() {
            if let rate {
                // Paced from the start, not from the previous message, so the rate does not drift.
                guard StopSignal.sleep(untilWallClock: start + Int64(Double(index) / rate * 1000)) else { break }
            }
            guard !StopSignal.requested, session.throttle(window: AcceleratedRun.window) else { break }
            let payload = PayloadWriter.reading(
                entry.measurement, time: entry.unixSeconds ? .unixSeconds : .localRFC3339)
            session.publish(
                OutgoingMessage(topic: entry.measurement.topic, payload: payload, kind: .reading, readings: 1))
            published += 1
            if Stopwatch.seconds() - lastSummary >= LiveRun.summaryEverySeconds {
                lastSummary = Stopwatch.seconds()
                Log.event("summary: \(session.counts); line \(replay.rows[index].line) of \(replay.path)")
            }
        }
        return published
    }
}

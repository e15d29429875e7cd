import Gauges

/// Accelerated mode: the readings of a past period, one report every `step` seconds of simulated time,
/// published as fast as the broker takes them. The storm starts at `from` and runs on the simulated clock
/// (one simulated hour is one storm hour), so loaded history looks like a real storm.
struct AcceleratedRun {
    var simulation: BasinSimulation
    var fleet: GaugeFleet
    let stations: [Station]
    /// Unix ms of the first report.
    let from: Int64
    /// Unix ms after which no report is made; nil with `count`.
    let until: Int64?
    /// Number of reports; nil with `until`.
    let count: Int?
    let stepSeconds: Double
    let stormStartHours: Double

    /// Messages allowed on their way to the broker at once; the publisher waits beyond that.
    static let window = 2000

    /// - Returns: the number of reporting steps published.
    mutating func run(session: BrokerSession) -> Int {
        let stepMilliseconds = max(1, Int64((stepSeconds * 1000).rounded()))
        var lastSummary = Stopwatch.seconds()
        var steps = 0
        while !StopSignal.requested {
            if let count, steps >= count { break }
            let time = from + Int64(steps) * stepMilliseconds
            if let until, time > until { break }
            // The simulated clock must never pass the real one: FloodWatch refuses readings from the future.
            if time > WallClock.system() {
                Log.event(
                    "reached the present after \(steps) steps; stopping (readings are never stamped in the future)")
                break
            }
            let stormHours = stormStartHours + Double(time - from) / 3_600_000
            let previousHours = stormHours - stepSeconds / 3600
            let samples = stations.map {
                simulation.sample($0, atHours: stormHours, previousHours: previousHours, first: steps == 0)
            }
            let output = fleet.tick(samples, timestamp: time)
            for event in output.events {
                Log.event("[\(UnixTime.rfc3339(time, offsetSeconds: UnixTime.vietnamOffsetSeconds))] \(event)")
            }
            for message in output.messages {
                guard session.throttle(window: Self.window) else { break }
                session.publish(message)
            }
            steps += 1
            if Stopwatch.seconds() - lastSummary >= LiveRun.summaryEverySeconds {
                lastSummary = Stopwatch.seconds()
                Log.event(
                    "summary: \(session.counts); simulated time "
                        + UnixTime.rfc3339(time, offsetSeconds: UnixTime.vietnamOffsetSeconds))
            }
        }
        return steps
    }
}

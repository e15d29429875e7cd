import Gauges

/// Live mode: every station reports every `interval` seconds of wall time, stamped with the wall clock, while
/// the storm behind the readings runs `speed` times faster than real time.
struct LiveRun {
    var simulation: BasinSimulation
    var fleet: GaugeFleet
    let stations: [Station]
    let intervalSeconds: Double
    let speed: Double
    /// Storm hour at the first report.
    let stormStartHours: Double
    /// Stop after this long; nil runs until a signal.
    let durationSeconds: Double?

    static let summaryEverySeconds = 30.0

    mutating func run(session: BrokerSession) {
        let intervalMilliseconds = max(1, Int64((intervalSeconds * 1000).rounded()))
        // Start on a whole second, so that with a whole-second interval every time stamp is a whole second.
        let now = WallClock.system()
        let start = now - now % 1000 + 1000
        let end = durationSeconds.map { start + Int64(($0 * 1000).rounded()) }
        let stormHoursPerMillisecond = speed / 3_600_000
        var lastSummary = Stopwatch.seconds()
        var tick: Int64 = 0
        var stormHours = stormStartHours
        while true {
            let tickTime = start + tick * intervalMilliseconds
            if let end, tickTime >= end {
                _ = StopSignal.sleep(untilWallClock: end)
                break
            }
            // Sleeping until the tick's time before stamping it keeps every time stamp at or before the wall clock.
            guard StopSignal.sleep(untilWallClock: tickTime) else { break }
            stormHours = stormStartHours + Double(tickTime - start) * stormHoursPerMillisecond
            let previousHours = stormHours - Double(intervalMilliseconds) * stormHoursPerMillisecond
            let samples = stations.map {
                simulation.sample(
                    $0, atHours: stormHours, previousHours: previousHours, rainScale: 1 / speed, first: tick == 0)
            }
            let output = fleet.tick(samples, timestamp: tickTime)
            for event in output.events { Log.event(event.description) }
            for message in output.messages { session.publish(message) }
            if Stopwatch.seconds() - lastSummary >= Self.summaryEverySeconds {
                lastSummary = Stopwatch.seconds()
                summary(session: session, stormHours: stormHours)
            }
            tick += 1
        }
        summary(session: session, stormHours: stormHours)
    }

    private func summary(session: BrokerSession, stormHours: Double) {
        let cycle = (stormHours / simulation.storm.cycleHours).rounded(.down)
        let hourOfStorm = stormHours - cycle * simulation.storm.cycleHours
        Log.event(
            "summary: \(session.counts); storm \(Int(cycle) + 1) hour \(SimulationReport.metres(hourOfStorm)); "
                + "levels: \(SimulationReport.levels(simulation, stations: stations, atHours: stormHours))")
    }
}

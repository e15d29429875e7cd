import Gauges
import Testing
import Warnings

@Suite("Late readings, backlogs and restarts")
struct LateAndRestartTests {
    static let start = at("2022-10-11T06:00:00+07:00")

    /// Câu Lâu up through BĐ III and back, with rain: level and rain readings every 10 minutes.
    static func flood() -> [Reading] {
        let levels = [
            1.50, 1.80, 2.05, 2.50, 2.95, 3.10, 3.55, 3.95, 4.07, 4.20,
            3.95, 3.85, 3.92, 3.80, 3.70, 3.60, 3.50, 3.40, 3.20, 3.00,
            2.85, 2.80, 2.70, 2.60, 2.30, 2.00, 1.85, 1.80, 1.75, 1.70,
        ]
        let rain = (0..<30).map { (5..<20).contains($0) ? 12.0 : 0.0 }
        return series("cau-lau", from: start, every: 10 * minute, levels)
            + series("cau-lau", .rain, from: start, every: 10 * minute, rain)
    }

    @Test("a backlog arriving out of order gives the events of the readings in order, marked late, none twice")
    func backlog() {
        let readings = Self.flood()
        let outage = Self.start + 100 * minute  // readings from 07:40 on arrive in one backlog
        let arrival = Self.start + 305 * minute  // 15 minutes after the last one's time

        var onTime = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let expected = onTime.replay(readings).events.map { event in
            var event = event
            event.late = event.timestamp >= outage
            return event
        }
        #expect(expected.contains { $0.late } && expected.contains { !$0.late })

        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        var events = engine.replay(readings.filter { $0.timestamp < outage }).events
        // A deterministic shuffle of the backlog.
        let backlog = readings.filter { $0.timestamp >= outage }.enumerated()
            .sorted { ($0.offset * 17) % 40 < ($1.offset * 17) % 40 }.map(\.element)
        events += engine.evaluate(backlog, arrivedAt: arrival).events
        #expect(events == expected)
        #expect(engine.openWarnings == onTime.openWarnings)

        // A reading older than the watermark that would raise a warning if it were new: nothing.
        let stale = Reading(station: "cau-lau", sensor: .level, timestamp: Self.start + 285 * minute, value: 2.5)
        #expect(engine.evaluate([stale], arrivedAt: arrival + minute).events.isEmpty)
    }

    @Test("a late level reading older than the watermark fills the window if plausible, else is suspect")
    func lateLevelReading() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let key = SensorKey(station: "cau-lau", sensor: .level)
        let readings = series("cau-lau", from: Self.start, every: 5 * minute, Array(repeating: 2.50, count: 13))
            .filter { $0.timestamp != Self.start + 30 * minute && $0.timestamp != Self.start + 40 * minute }
        _ = engine.replay(readings)
        #expect(engine.bufferedReadings(for: key) == 11)

        let arrival = Self.start + 70 * minute
        let plausible = Reading(station: "cau-lau", sensor: .level, timestamp: Self.start + 30 * minute, value: 2.52)
        let first = engine.evaluate([plausible], arrivedAt: arrival)
        #expect(first.events.isEmpty && first.suspect.isEmpty)
        #expect(engine.bufferedReadings(for: key) == 12)

        // 4.50 m between two readings of 2.50 m: it would raise level 3 if it were new; it is old and implausible.
        let jump = Reading(station: "cau-lau", sensor: .level, timestamp: Self.start + 40 * minute, value: 4.50)
        let second = engine.evaluate([jump], arrivedAt: arrival)
        #expect(second.events.isEmpty)
        #expect(second.suspect == [jump])
        #expect(engine.bufferedReadings(for: key) == 12)
    }

    /// 30 hours of Câu Lâu: a 12-hour wave through every alarm level, two spikes, two level gaps (silent) and a
    /// rain gap, two bursts of rain (80 mm and 96 mm, 16 hours apart: 3-hour warnings, then a 24-hour one).
    static func longFlood() -> [Reading] {
        var readings: [Reading] = []
        for index in 0..<360 {
            let time = start + Int64(index) * 5 * minute
            // A triangle wave: 0.70 m to 4.30 m and back every 12 hours (0.6 m/h).
            let phase = index % 144
            var level = 0.70 + 3.60 * Double(phase < 72 ? phase : 144 - phase) / 72
            if index == 40 || index == 200 { level += 1.5 }
            if !(100...108).contains(index) && !(250...260).contains(index) {
                readings.append(Reading(station: "cau-lau", sensor: .level, timestamp: time, value: level))
            }
            let rain = (20...29).contains(index) ? 8.0 : (220...235).contains(index) ? 6.0 : 0.0
            if !(300...310).contains(index) {
                readings.append(Reading(station: "cau-lau", sensor: .rain, timestamp: time, value: rain))
            }
        }
        return readings
    }

    @Test(
        "a restart anywhere gives the same events as the engine that ran on",
        arguments: Array(stride(from: 3, to: 360, by: 11)))
    func restart(split: Int) throws {
        let catalogue = Stations.catalogue(Stations.cauLau())
        let readings = Self.longFlood()
        let splitTime = Self.start + Int64(split) * 5 * minute
        let before = readings.filter { $0.timestamp < splitTime }
        let after = readings.filter { $0.timestamp >= splitTime }

        // What `engine_state` holds: after each batch (one reading time here), the snapshots that batch changed in
        // more than the readings rebuild; so most are older than their sensor's newest reading.
        var running = WarningEngine(catalogue: catalogue)
        var first = Evaluation()
        var snapshots: [SensorKey: SensorSnapshot] = [:]
        for batch in Dictionary(grouping: before, by: \.timestamp).sorted(by: { $0.key < $1.key }) {
            let evaluation = running.replay(batch.value)
            first.events += evaluation.events
            first.suspect += evaluation.suspect
            snapshots.merge(running.takeChangedSnapshots()) { $1 }
        }

        // What storage holds: the readings with the suspect ones marked, as far back as the engine asks.
        let suspect = Set(first.suspect.map { [$0.station, $0.sensor.rawValue, String($0.timestamp)] })
        let history = Int64(WarningEngine.historySeconds(for: catalogue)) * 1000
        let stored = before.filter { $0.timestamp >= splitTime - history }.map { reading in
            var reading = reading
            if suspect.contains([reading.station, reading.sensor.rawValue, String(reading.timestamp)]) {
                reading.quality = .suspect
            }
            return reading
        }
        // In replay a reading arrives at its own time: the latest arrival is the newest reading's time.
        let arrivals = Dictionary(
            stored.map { (SensorKey(station: $0.station, sensor: $0.sensor), $0.timestamp) }, uniquingKeysWith: max)
        var restarted = WarningEngine(catalogue: catalogue, snapshots: snapshots, recent: stored, arrivals: arrivals)
        #expect(restarted.openWarnings == running.openWarnings)

        let expected = running.replay(after)
        let actual = restarted.replay(after)
        #expect(actual.events == expected.events)
        #expect(actual.suspect == expected.suspect)
        #expect(restarted.openWarnings == running.openWarnings)
    }

    @Test("a river below every alarm level leaves nothing a restart could not rebuild: no snapshot to write")
    func quietRiverWritesNoSnapshot() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        var written = 0
        for index in 0..<200 {
            let time = Self.start + Int64(index) * 5 * minute
            let level = Reading(
                station: "cau-lau", sensor: .level, timestamp: time, value: 1.00 + Double(index % 3) / 100)
            let rain = Reading(station: "cau-lau", sensor: .rain, timestamp: time, value: index % 7 == 0 ? 0.5 : 0)
            #expect(engine.evaluate([level, rain], arrivedAt: time).events.isEmpty)
            written += engine.takeChangedSnapshots().count
        }
        #expect(written == 0)
        // A warning is what a restart must not forget: the reading that raises one has its snapshot written.
        var events: [WarningEvent] = []
        for index in 200..<220 where events.isEmpty {
            let time = Self.start + Int64(index) * 5 * minute
            let rising = Reading(
                station: "cau-lau", sensor: .level, timestamp: time, value: 1.00 + Double(index - 199) * 0.20)
            events = engine.evaluate([rising], arrivedAt: time).events
            let written = engine.takeChangedSnapshots()
            #expect(events.isEmpty == written.isEmpty)
        }
        #expect(!events.isEmpty)
    }

    @Test("the long flood exercises every rule, so the restart test means something")
    func longFloodCoverage() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let evaluation = engine.replay(Self.longFlood())
        let kinds = Set(evaluation.events.map { "\($0.rule.rawValue) \($0.kind.rawValue)" })
        for rule in ["level", "rise", "forecast", "rain", "silent"] {
            #expect(kinds.contains("\(rule) raised"), "\(rule) raised")
            #expect(kinds.contains("\(rule) cleared"), "\(rule) cleared")
        }
        #expect(kinds.contains("level escalated") && kinds.contains("level deescalated"))
        #expect(evaluation.suspect.count == 2)
    }

    @Test("a batch whose commit failed is undone: evaluated again, it gives the same events, once")
    func undoneBatch() {
        let readings = Self.flood()
        let first = readings.filter { $0.timestamp < Self.start + 60 * minute }
        let second = readings.filter { $0.timestamp >= Self.start + 60 * minute }
        var reference = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        _ = reference.evaluate(first, arrivedAt: Self.start + 60 * minute)
        let expected = reference.evaluate(second, arrivedAt: Self.start + 300 * minute)
        #expect(!expected.events.isEmpty)

        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        _ = engine.evaluate(first, arrivedAt: Self.start + 60 * minute)
        let kept = engine.takeChangedSnapshots()
        engine.beginChanges()
        let failed = engine.evaluate(second, arrivedAt: Self.start + 300 * minute)
        _ = engine.takeChangedSnapshots()
        engine.undoChanges()  // the transaction did not commit
        engine.beginChanges()
        let retried = engine.evaluate(second, arrivedAt: Self.start + 300 * minute)
        engine.keepChanges()
        #expect(failed.events == expected.events)
        #expect(retried.events == expected.events, "the retry sees the state before the failed attempt")
        #expect(engine.openWarnings == reference.openWarnings)
        #expect(!kept.isEmpty)
        #expect(Set(engine.takeChangedSnapshots().keys) == Set(reference.takeChangedSnapshots().keys))
    }

    @Test("history needed: the longest window of the catalogue")
    func historySeconds() {
        #expect(WarningEngine.historySeconds(for: Stations.catalogue(Stations.nongSon())) == 7200)
        #expect(WarningEngine.historySeconds(for: Stations.catalogue(Stations.cauLau())) == 86_400)
        let wet = Stations.traMy { $0.rain.thresholds[259_200] = [300, 500] }
        #expect(WarningEngine.historySeconds(for: Stations.catalogue(Stations.nongSon(), wet)) == 259_200)
    }
    @Test("readings numbered by their sensor evaluate as unnumbered ones, numbers of every kind and unknown sensors")
    func numberedReadings() {
        var plain = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        var numbered = plain
        let stranger = Reading(station: "nowhere", sensor: .level, timestamp: Self.start, value: 9)
        let readings = Self.longFlood().sorted { $0.timestamp < $1.timestamp } + [stranger]
        // A small number, one past the engine's table (kept by hash), and the stranger's, asked twice.
        func number(_ reading: Reading) -> Int64 {
            reading.station == "nowhere" ? 3 : reading.sensor == .level ? 1 : 5_000_000_000
        }
        var events = 0
        for start in stride(from: 0, to: readings.count, by: 7) {
            let batch = Array(readings[start..<min(start + 7, readings.count)]) + [stranger]
            let arrival = batch[0].timestamp
            let expected = plain.evaluate(batch, arrivedAt: arrival)
            #expect(numbered.evaluate(batch, series: batch.map(number), arrivedAt: arrival) == expected)
            events += expected.events.count
        }
        #expect(events > 10, "the flood raises, escalates and clears warnings")
        #expect(numbered.takeChangedSnapshots() == plain.takeChangedSnapshots())
    }
}

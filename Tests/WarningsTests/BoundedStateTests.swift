import Gauges
import Testing
import Warnings

@Suite("Bounded state")
struct BoundedStateTests {
    @Test("after 100,000 readings per sensor the windows hold only what the rules look back over")
    func windowsStaySmall() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let start = at("2020-01-01T00:00:00+07:00")
        var events = 0
        var batch: [Reading] = []
        for index in 0..<100_000 {
            let time = start + Int64(index) * 5 * minute
            // A 12-hour triangle wave through every alarm level, and a shower every 6 hours.
            let phase = index % 144
            let level = 0.70 + 3.60 * Double(phase < 72 ? phase : 144 - phase) / 72
            batch.append(Reading(station: "cau-lau", sensor: .level, timestamp: time, value: level))
            batch.append(Reading(station: "cau-lau", sensor: .rain, timestamp: time, value: index % 72 < 12 ? 8 : 0))
            if batch.count == 2000 {
                events += engine.evaluate(batch, arrivedAt: time).events.count
                batch.removeAll(keepingCapacity: true)
            }
        }
        #expect(events > 1000)
        // Level: the 2-hour forecast window at 5 minutes. Rain: the 24-hour window.
        #expect(engine.bufferedReadings(for: SensorKey(station: "cau-lau", sensor: .level)) <= 25)
        #expect(engine.bufferedReadings(for: SensorKey(station: "cau-lau", sensor: .rain)) <= 288)
    }
}

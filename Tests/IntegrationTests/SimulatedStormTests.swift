import Foundation
import GRDB
import Gauges
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What the gauge simulator's storms do over Bắc Trà My and the Sông Tranh 2 reservoir, read from what FloodWatch
/// stored: the district's recorded 24-hour rain, the operator's way of holding the reservoir, and the release
/// warning it gives.
@Suite("Simulated storms over Bắc Trà My and Sông Tranh 2", .timeLimit(.minutes(3)), .blockingAllowed, .takingTurns)
struct SimulatedStormTests {
    /// The district storm of these tests starts at 2022-11-29T07:00:00+07:00 and is reported hourly for its
    /// 120 hours.
    static let districtStorm = [
        "--storm", "district-2022", "--accelerated", "--from", "2022-11-29T07:00:00+07:00", "--count", "120",
        "--step", "3600", "--clean",
    ]
    /// 2022-12-03T07:00:00+07:00, near the end of the district storm's wettest 24 hours.
    static let thirdOfDecember7AM: Int64 = 1_670_025_600_000

    /// Every sensor of the bundled catalogue, `steps` hourly reports each (a reservoir reports hourly too).
    static func hourlyReadings(_ steps: Int) -> Int {
        bundledCatalogue.stations.reduce(0) { $0 + $1.sensors.count } * steps
    }

    /// A sensor's readings, oldest first.
    static func series(_ db: Database, _ station: String, _ sensor: String) throws -> [(ts: Int64, value: Double)] {
        try GRDB.Row.fetchAll(
            db, sql: "SELECT ts, value FROM readings WHERE station = ? AND sensor = ? ORDER BY ts",
            arguments: [station, sensor]
        ).map { ($0["ts"], $0["value"]) }
    }

    @Test(
        "district-2022: the wettest 24 hours at Trà Kót, Trà Dương and Trà My are the recorded 444, 386.2 and 313.3 mm, after three days of rain"
    )
    func districtRain() async throws {
        let broker = try TestBroker()
        let service = try InProcessService(broker: broker)
        try await service.start()
        let (status, output) = try runGaugeSimulator(broker, Self.districtStorm + ["--seed", "11"])
        #expect(status == 0, "simulator output: \(output)")
        let expected = Self.hourlyReadings(120)
        #expect(try await eventually { try service.readingCount() == expected })
        try await service.stop()

        for (station, recorded) in [("tra-kot", 444.0), ("tra-duong", 386.2), ("tra-my", 313.3)] {
            let readings = try service.query { try Self.series($0, station, "rain") }
            try #require(readings.count == 120)
            let rain = readings.map(\.value)
            // Each hourly report holds the rain of the hour before it: 24 reports are 24 hours.
            let day = { (end: Int) in rain[max(end - 24, 0)..<end].reduce(0, +) }
            let end = try #require((24...rain.count).max { day($0) < day($1) })
            let wettest = day(end)
            // The simulator makes its wettest 24 minute by minute; whole hours of reports come within a few mm.
            #expect(abs(wettest - recorded) <= recorded * 0.02, "\(station): \(wettest) mm in the wettest 24 h")
            let endTime = readings[end - 1].ts
            #expect(
                abs(endTime - Self.thirdOfDecember7AM) <= 4 * 3_600_000,
                "\(station): the wettest 24 h end near 3 Dec 07:00, not at \(endTime)")
            // The landslide rule (art. 46) counts the days it rained before: each of the three 24-hour windows
            // before the wettest brought at least 1 mm.
            let before = [1, 2, 3].map { day(end - 24 * $0) }
            #expect(before.allSatisfy { $0 >= 1 }, "\(station): rain on the days before: \(before)")
        }
        // The run says so before it starts.
        #expect(output.contains("tra-kot: rain only, 444.0 mm in the wettest 24 h"), "\(output)")
        #expect(output.contains("after 3 or more days of rain"))
    }

    @Test("in a typhoon Sông Tranh 2 spills past 500 m³/s, holding about +173 m, below its normal level of 175 m")
    func reservoirInTyphoon() async throws {
        let broker = try TestBroker()
        let service = try InProcessService(broker: broker)
        try await service.start()
        let (status, output) = try runGaugeSimulator(
            broker,
            [
                "--accelerated", "--from", "2020-11-05T07:00:00+07:00", "--count", "48", "--step", "3600", "--clean",
                "--seed", "5",
            ])
        #expect(status == 0, "simulator output: \(output)")
        let expected = Self.hourlyReadings(48)
        #expect(try await eventually { try service.readingCount() == expected })
        try await service.stop()

        let (levels, inflows, outflows) = try service.query { db in
            (
                try Self.series(db, "song-tranh-2", "level"), try Self.series(db, "song-tranh-2", "inflow"),
                try Self.series(db, "song-tranh-2", "outflow")
            )
        }
        try #require(levels.count == 48 && inflows.count == 48 && outflows.count == 48)
        let peakInflow = inflows.map(\.value).max() ?? 0
        let peakOutflow = outflows.map(\.value).max() ?? 0
        #expect(peakInflow >= 2_000, "a typhoon brings thousands of m³/s: \(peakInflow)")
        #expect(peakOutflow > 500, "past the release warning's first threshold: \(peakOutflow)")
        #expect(peakOutflow <= peakInflow, "never more released than the flood brings")
        #expect(outflows.allSatisfy { $0.value >= 106 }, "the turbines always run")
        #expect(abs(levels[0].value - 172.3) < 0.01, "the storm starts at 172.3 m")
        let highest = levels.map(\.value).max() ?? 0
        #expect(highest < 174, "never within the pool warning's metre of the normal level 175 m: \(highest)")
        // The spillway opens as the reservoir nears +173 m (set each hour to be there an hour later), then holds it
        // there until the drawdown of the storm's last 12 hours.
        let firstSpill = try #require(outflows.firstIndex { $0.value > 106 })
        #expect(levels[firstSpill].value >= 172.7, "spills from \(levels[firstSpill].value) m")
        let held = levels[(firstSpill + 1)..<(levels.count - 12)].map(\.value)
        #expect(held.allSatisfy { abs($0 - 173) <= 0.4 }, "held at \(held)")
        let atPeak = try #require(outflows.firstIndex { $0.value == peakOutflow })
        #expect(abs(levels[atPeak].value - 173) <= 0.5, "at the peak release the level is \(levels[atPeak].value) m")
        // What the run announces is what it does.
        #expect(
            output.contains("outflow peak \(Self.thousands(peakOutflow)) m³/s"),
            "the report names the peak release \(peakOutflow): \(output)")
    }

    @Test("FloodWatch serve fed the district storm warns of Sông Tranh 2's release, told downstream to Trà Đốc")
    func releaseWarning() async throws {
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker)
        let process = try await service.start()
        let (status, output) = try runGaugeSimulator(broker, Self.districtStorm + ["--seed", "3"])
        #expect(status == 0, "simulator output: \(output)")
        let expected = Self.hourlyReadings(120)
        #expect(try await eventually(timeoutSeconds: 30) { try service.readingCount() == expected })
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0, "floodwatch output: \(process.output.suffix(2000))")

        let rows = try service.query { db in
            try GRDB.Row.fetchAll(
                db,
                sql: "SELECT rule, event, level, message_en FROM warnings WHERE station = 'song-tranh-2' ORDER BY id")
        }
        let release = rows.filter { ($0["rule"] as String) == "release" }
        let raised = try #require(release.first { ($0["event"] as String) == "raised" }, "warnings: \(rows)")
        #expect((raised["message_en"] as String).contains("downstream: Trà Đốc commune"), "\(raised)")
        // The peak release passes 2,000 m³/s, the third threshold.
        #expect(release.contains { ($0["level"] as Int) == 3 }, "release levels: \(release.map { $0["level"] as Int })")
        #expect(!rows.contains { ($0["rule"] as String) == "pool" }, "held at +173 m: no pool warning")
    }

    /// `4,790`, as the simulator prints flows.
    static func thousands(_ value: Double) -> String {
        let digits = String(Int(value.rounded()))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text += "," }
            text.append(digit)
        }
        return text
    }
}

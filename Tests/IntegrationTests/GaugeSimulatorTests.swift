import Foundation
import GRDB
import Gauges
import TestSupport
import Testing

/// The gauge simulator against a real broker and FloodWatch's ingest service: what it publishes is what the
/// run command shows.
@Suite("Gauge simulator end to end", .timeLimit(.minutes(3)), .blockingAllowed, .takingTurns)
struct GaugeSimulatorTests {
    /// Every (station, sensor) the bundled catalogue declares.
    private var declaredSensors: Set<String> {
        Set(
            bundledCatalogue.stations.flatMap { station in station.sensors.map { "\(station.id)/\($0.kind.rawValue)" } }
        )
    }

    private func storedSensors(_ service: InProcessService) throws -> Set<String> {
        Set(
            try service.query { try String.fetchAll($0, sql: "SELECT DISTINCT station || '/' || sensor FROM readings") }
        )
    }

    @Test("live mode brings readings from every station and sensor of the bundled catalogue")
    func liveMode() async throws {
        let broker = try TestBroker()
        let service = try InProcessService(broker: broker)
        try await service.start()
        let (status, output) = try runGaugeSimulator(
            broker, ["--interval", "1", "--duration", "3", "--clean", "--storm-hour", "14"])
        #expect(status == 0, "simulator output: \(output)")
        let everyStation = try await eventually { try storedSensors(service) == declaredSensors }
        try await service.stop()
        let stored = try storedSensors(service).sorted()
        #expect(everyStation, "stored \(stored)")
        #expect(try service.rejectedRows().isEmpty, "clean gauges send nothing to reject")
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let newest = try service.query { try Int64.fetchOne($0, sql: "SELECT MAX(ts) FROM readings") } ?? 0
        #expect((now - 60_000...now).contains(newest), "live readings carry the wall-clock time")
    }

    @Test("faulty gauges: duplicates, backlogs and bad messages are handled and every station still arrives")
    func faultyGauges() async throws {
        let broker = try TestBroker()
        let service = try InProcessService(broker: broker)
        try await service.start()
        let (status, output) = try runGaugeSimulator(
            broker,
            [
                "--interval", "0.5", "--duration", "6", "--seed", "7", "--duplicate-rate", "0.3", "--bad-rate", "0.2",
                "--link-loss-rate", "0.1", "--senml-share", "0.5",
            ])
        #expect(status == 0, "simulator output: \(output)")
        let arrived = try await eventually { try storedSensors(service) == declaredSensors }
        // Let the last messages of the run land before counting.
        try await Task.sleep(for: .milliseconds(500))
        try await service.stop()
        #expect(arrived)
        #expect(service.metrics.counterTotal(label: "floodwatch_readings_duplicate_total") > 0)
        let codes = Set(try service.query { try String.fetchAll($0, sql: "SELECT DISTINCT reason_code FROM rejected") })
        #expect(!codes.isEmpty, "bad messages are kept in rejected")
        #expect(codes.isSubset(of: Set(RejectionReason.allCodes)))
        #expect(!codes.contains("conflict"), "a duplicate is never mistaken for a conflicting value")
    }

    @Test("accelerated mode publishes a past period, one reading per step (hourly at a reservoir), then exits")
    func acceleratedMode() async throws {
        let broker = try TestBroker()
        let service = try InProcessService(broker: broker)
        try await service.start()
        let (status, output) = try runGaugeSimulator(
            broker, ["--accelerated", "--from", "2020-10-27T00:00:00+07:00", "--count", "12", "--clean", "--seed", "1"])
        #expect(status == 0, "simulator output: \(output)")
        // Twelve five-minute steps from 00:00: every gauge sensor twelve times, a reservoir's hourly figures once.
        let expected = bundledCatalogue.stations.reduce(0) { total, station in
            total + station.sensors.count * (station.kind == .reservoir ? 1 : 12)
        }
        #expect(try await eventually { try service.readingCount() == expected })
        let reservoirTimes = try service.query {
            try Int64.fetchAll($0, sql: "SELECT DISTINCT ts FROM readings WHERE station = 'song-tranh-2'")
        }
        #expect(reservoirTimes == [1_603_731_600_000], "Sông Tranh 2 reports on the hour")
        try await service.stop()
        let range = try service.query { db in
            try Row.fetchOne(db, sql: "SELECT MIN(ts) AS first, MAX(ts) AS last FROM readings")
        }
        let first: Int64? = range?["first"]
        let last: Int64? = range?["last"]
        #expect(first == 1_603_731_600_000)  // 2020-10-27T00:00:00+07:00
        #expect(last == 1_603_734_900_000)  // 11 steps of 5 minutes later
    }

    @Test("replaying the recorded Typhoon Molave figures stores them as recorded")
    func replay() async throws {
        let broker = try TestBroker()
        let service = try InProcessService(broker: broker)
        try await service.start()
        let csv = TestPaths.root + "/sensors/floods/molave-2020-10-28.csv"
        let (status, output) = try runGaugeSimulator(broker, ["--replay", csv])
        #expect(status == 0, "simulator output: \(output)")
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") && !$0.hasPrefix("station,") }
        #expect(try await eventually { try service.readingCount() == lines.count })
        try await service.stop()
        for line in lines {
            let fields = line.split(separator: ",").map(String.init)
            let ts = try RFC3339.milliseconds(fields[2]).get()
            let value = try service.query {
                try Double.fetchOne(
                    $0, sql: "SELECT value FROM readings WHERE station = ? AND sensor = ? AND ts = ?",
                    arguments: [fields[0], fields[1], ts])
            }
            #expect(value == Double(fields[3]), "\(line)")
        }
    }
}

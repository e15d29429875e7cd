import Foundation
import GRDB
import Gauges
import Storage
import Testing
import Warnings

@testable import Ingestion

/// The warning engine inside the storing transaction: what a failed transaction leaves behind.
@Suite("Warning desk")
struct WarningDeskTests {
    static let station = Station(
        id: "cau-lau", name: "Câu Lâu", river: "Thu Bồn", basin: "Vu Gia – Thu Bồn", latitude: 15.85, longitude: 108.27,
        sensors: [Sensor(kind: .level, interval: 300, range: -1...9)],
        alarmLevels: AlarmLevels(levelI: 2, levelII: 3, levelIII: 4), record: FloodRecord(level: 5.61, year: 2025))

    /// A river rising 0.2 m every 5 minutes from 1.0 m: through BĐ I at the sixth reading, and on.
    static func batch(_ index: Int) -> IngestBatch {
        let start: Int64 = 1_700_000_000_000
        let time = start + Int64(index) * 300_000
        let reading = Reading(
            station: "cau-lau", sensor: .level, timestamp: time, value: 1.0 + Double(index) * 0.2, seq: Int64(index))
        let payload = Array("{}".utf8)
        return IngestBatch(
            receivedAt: time + 1_000,
            messages: [
                IngestBatch.Message(
                    topic: "gauges/cau-lau/level", payload: payload,
                    decoded: DecodedMessage(
                        readings: [DecodedReading(reading: reading, payloadRange: 0..<payload.count)],
                        rejections: []))
            ])
    }

    static func events(failing failures: Set<Int>) throws -> [String] {
        let folder = NSTemporaryDirectory() + "floodwatch-desk-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let catalogue = StationCatalogue(stations: [station])
        let database = try FloodDatabase(path: folder + "/floodwatch.sqlite")
        try database.synchronizeStations(catalogue, now: 0)
        // Another connection makes the next transaction fail at its end, after the engine evaluated the batch:
        // writing its warning events aborts while `fail` holds a row.
        let other = try DatabaseQueue(path: folder + "/floodwatch.sqlite")
        try other.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE fail (x);
                    CREATE TRIGGER fail_writes BEFORE INSERT ON alert_notices WHEN EXISTS (SELECT 1 FROM fail)
                    BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
                    """)
        }
        var desk = try WarningDesk(catalogue: catalogue, database: database, now: 0)
        for index in 0..<20 {
            if failures.contains(index) {
                try other.write { try $0.execute(sql: "INSERT INTO fail VALUES (1)") }
                #expect(throws: (any Error).self) { try desk.store(batch(index), in: database) }
                try other.write { try $0.execute(sql: "DELETE FROM fail") }
            }
            _ = try desk.store(batch(index), in: database)
        }
        return try database.reader.read { db in
            try String.fetchAll(
                db, sql: "SELECT rule || ' ' || event || ' ' || level || ' ' || ts FROM warnings ORDER BY id")
        }
    }

    @Test("a transaction that fails after the engine saw its readings is retried with the same events, each once")
    func failedTransaction() throws {
        let uninterrupted = try Self.events(failing: [])
        #expect(uninterrupted.contains { $0.hasPrefix("level raised 1") }, "\(uninterrupted)")
        #expect(uninterrupted.contains { $0.hasPrefix("level escalated 3") }, "\(uninterrupted)")
        // Every batch that tells something fails once first (its events cannot be written): each is evaluated
        // again from what the database holds, as after a restart.
        let telling = Set(
            uninterrupted.compactMap { $0.split(separator: " ").last.flatMap { Int64($0) } }.map {
                Int(($0 - 1_700_000_000_000) / 300_000)
            })
        #expect(telling.count >= 3)
        let withFailures = try Self.events(failing: telling)
        #expect(withFailures == uninterrupted)
    }
}

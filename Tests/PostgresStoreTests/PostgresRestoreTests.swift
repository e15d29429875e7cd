import Foundation
import Gauges
import Storage
import TestSupport
import Testing
import Warnings

@testable import PostgresStore

extension PostgresStoreSuite {
    /// The engine resumes from the PostgreSQL store exactly as from the SQLite file: the same readings and engine state
    /// stored in both give the same restore.
    @Suite("PostgreSQL engine restore", .timeLimit(.minutes(2)))
    struct PostgresRestoreTests {
        static let now: Int64 = 1_796_558_400_000

        @Test("the same readings and state stored in both stores restore the same engine")
        func sameAsSQLite() async throws {
            let catalogue = StationCatalogue(stations: [StoreFixtures.cauLau, StoreFixtures.hoiAn])
            var batches: [IngestBatch] = []
            for step in 0..<24 {
                let ts = Self.now - Int64(24 - step) * 600_000
                var readings = [
                    Reading(
                        station: "cau-lau", sensor: .level, timestamp: ts, value: 1.5 + Double(step) / 10,
                        seq: Int64(step)),
                    Reading(station: "cau-lau", sensor: .rain, timestamp: ts, value: Double(step % 5)),
                ]
                if step % 3 == 0 {
                    readings.append(
                        Reading(station: "hoi-an", sensor: .level, timestamp: ts, value: 0.8, quality: .suspect))
                }
                batches.append(StoreFixtures.batch(readings, receivedAt: ts + 2_000 + Int64(step)))
            }
            var engine = WarningEngine(catalogue: catalogue)
            _ = engine.evaluate(batches.flatMap { $0.messages[0].decoded.readings.map(\.reading) }, arrivedAt: Self.now)
            let state = EngineResult(snapshots: engine.takeChangedSnapshots())
            #expect(!state.snapshots.isEmpty)

            let folder = NSTemporaryDirectory() + "floodwatch-restore-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let sqlite = try FloodDatabase(path: folder + "/floodwatch.sqlite")
            try sqlite.synchronizeStations(catalogue, now: Self.now)
            for batch in batches { _ = try sqlite.store(batch) }
            try sqlite.store(state, createdAt: Self.now)

            let server = try TestPostgres()
            let postgres = try await PostgresStoreSuite.migratedStore(on: server, now: Self.now)
            try await postgres.synchronizeStations(catalogue, now: Self.now)
            for batch in batches { _ = try await postgres.store(batch) }
            try await postgres.store(state, createdAt: Self.now)

            let expected = try sqlite.engineRestore(catalogue: catalogue, historySeconds: 3_600)
            let restored = try await postgres.engineRestore(catalogue: catalogue, historySeconds: 3_600)
            await postgres.shutDown()
            func ordered(_ readings: [Reading]) -> [Reading] {
                readings.sorted {
                    ($0.station, $0.sensor.rawValue, $0.timestamp) < ($1.station, $1.sensor.rawValue, $1.timestamp)
                }
            }
            #expect(restored.snapshots == expected.snapshots)
            #expect(ordered(restored.recent) == ordered(expected.recent))
            #expect(restored.arrivals == expected.arrivals)
            // An hour back from each sensor's newest reading: 7 of Câu Lâu's level readings, 10 minutes apart.
            #expect(restored.recent.filter { $0.station == "cau-lau" && $0.sensor == .level }.count == 7)
        }
    }
}

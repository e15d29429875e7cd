import Foundation
import Gauges
import Storage
import TestSupport
import Testing

@testable import PostgresStore

extension PostgresStoreSuite {
    /// Storing readings on PostgreSQL as on SQLite: each once, duplicates counted, conflicts and refused input kept in
    /// `rejected` with their bytes. On a real PostgreSQL 15 server of the test's own.
    @Suite("PostgreSQL readings", .timeLimit(.minutes(2)))
    struct PostgresReadingsTests {
        static let receivedAt: Int64 = 1_796_558_400_000

        static func level(_ ts: Int64, _ value: Double, seq: Int64? = nil, station: String = "cau-lau") -> Reading {
            Reading(station: station, sensor: .level, timestamp: Self.receivedAt - ts, value: value, seq: seq)
        }

        /// One message holding the given readings, as the decoder would give them.
        static func batch(_ readings: [Reading], payload: String = "{}") -> IngestBatch {
            StoreFixtures.batch(readings, payload: payload, receivedAt: receivedAt)
        }

        @Test("a reading is stored once; the same value again, or twice in a batch, is a duplicate")
        func duplicates() async throws {
            let server = try TestPostgres()
            let database = try await PostgresStoreSuite.migratedStore(on: server, now: Self.receivedAt)
            let first = try await database.store(Self.batch([Self.level(300_000, 2.5, seq: 7)]))
            let again = try await database.store(
                Self.batch([Self.level(300_000, 2.5, seq: 7), Self.level(300_000, 2.5, seq: 7)]))
            let inOne = try await database.store(
                Self.batch([
                    Self.level(600_000, 2.4), Self.level(600_000, 2.4), Self.level(600_000, 2.4, station: "ai-nghia"),
                ]))
            await database.shutDown()
            #expect((first.stored, first.duplicates) == (1, 0))
            #expect(first.newReadings == [Self.level(300_000, 2.5, seq: 7)])
            #expect((again.stored, again.duplicates) == (0, 2))
            #expect((inOne.stored, inOne.duplicates) == (2, 1))
            #expect(
                try server.psql(
                    "SELECT station, sensor, ts, value, quality, seq, received_at FROM readings ORDER BY ts, station")
                        == """
                        ai-nghia|level|\(Self.receivedAt - 600_000)|2.4|0||\(Self.receivedAt)
                        cau-lau|level|\(Self.receivedAt - 600_000)|2.4|0||\(Self.receivedAt)
                        cau-lau|level|\(Self.receivedAt - 300_000)|2.5|0|7|\(Self.receivedAt)
                        """)
            #expect(try server.psql("SELECT count(*) FROM series") == "2")
            #expect(try server.psql("SELECT count(*) FROM rejected") == "0")
        }

        @Test("a reading of a month with no partition yet gets its month; one years old keeps its arrival time")
        func monthsOnDemand() async throws {
            let server = try TestPostgres()
            let database = try await PostgresStoreSuite.migratedStore(on: server, now: Self.receivedAt)
            // 2020-05-01T00:00:00Z, six and a half years before the batch; and 2031-01-01T00:00:00Z.
            let old = Reading(station: "cau-lau", sensor: .level, timestamp: 1_588_291_200_000, value: 1.2)
            let ahead = Reading(station: "cau-lau", sensor: .level, timestamp: 1_924_992_000_000, value: 1.3)
            let outcome = try await database.store(Self.batch([old, ahead]))
            let again = try await database.store(Self.batch([old]))
            await database.shutDown()
            #expect((outcome.stored, again.duplicates) == (2, 1))
            #expect(
                try server.psql("SELECT ts, received_at FROM readings ORDER BY ts")
                    == "1588291200000|\(Self.receivedAt)\n1924992000000|\(Self.receivedAt)")
            #expect(try server.psql("SELECT count(*) FROM series_readings_2020_05") == "1")
            #expect(try server.psql("SELECT count(*) FROM series_readings_2031_01") == "1")
        }

        @Test("another value for a stored key keeps the first and rejects the newcomer with its bytes")
        func conflict() async throws {
            let server = try TestPostgres()
            let database = try await PostgresStoreSuite.migratedStore(on: server, now: Self.receivedAt)
            _ = try await database.store(Self.batch([Self.level(300_000, 2.5)]))
            let outcome = try await database.store(
                Self.batch([Self.level(300_000, 2.75)], payload: #"{"ts":1,"value":2.75}"#))
            await database.shutDown()
            #expect(outcome.stored == 0)
            #expect(outcome.rejected.map(\.code) == ["conflict"])
            #expect(try server.psql("SELECT value FROM readings") == "2.5")
            let row = try server.psql("SELECT reason_code, reason, payload_text, payload_bytes FROM rejected")
            #expect(row.hasPrefix("conflict|conflicts with stored value: 2.5"), "\(row)")
            #expect(row.hasSuffix(#"|{"ts":1,"value":2.75}|21"#), "\(row)")
        }

        @Test("what the decoder refused is kept with its reason and bytes; bytes that are not UTF-8 as bytes only")
        func refusedInput() async throws {
            let server = try TestPostgres()
            let database = try await PostgresStoreSuite.migratedStore(on: server, now: Self.receivedAt)
            let invalid: [UInt8] = [0x7B, 0xFF, 0x7D]
            let batch = IngestBatch(
                receivedAt: Self.receivedAt,
                messages: [
                    IngestBatch.Message(
                        topic: "gauges/nowhere/level", payload: Array("{}".utf8),
                        decoded: DecodedMessage(rejections: [
                            Rejection(
                                reason: .unknownStation("nowhere"), payloadRange: 0..<2, station: "nowhere",
                                sensor: "level"
                            )
                        ])),
                    IngestBatch.Message(
                        topic: "gauges/cau-lau/level", payload: invalid,
                        decoded: DecodedMessage(rejections: [
                            Rejection(
                                reason: .invalidUTF8(offset: 1), payloadRange: 0..<3, station: "cau-lau",
                                sensor: "level")
                        ])),
                ])
            let outcome = try await database.store(batch)
            await database.shutDown()
            #expect(outcome.rejected.map(\.code) == ["unknown_station", "invalid_utf8"])
            #expect(
                try server.psql(
                    "SELECT topic, reason_code, payload_text IS NULL, encode(payload, 'hex'), payload_bytes "
                        + "FROM rejected ORDER BY id"
                )
                    == "gauges/nowhere/level|unknown_station|f|7b7d|2\ngauges/cau-lau/level|invalid_utf8|t|7bff7d|3")
        }
    }
}

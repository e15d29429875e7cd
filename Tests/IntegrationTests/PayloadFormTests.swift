import Foundation
import GRDB
import TestSupport
import Testing

/// Each payload form of the wire contract, published with `mosquitto_pub` to a real broker, lands in
/// `readings` with the right UTC milliseconds.
@Suite("Payload forms over MQTT", .timeLimit(.minutes(2)), .blockingAllowed, .takingTurns)
struct PayloadFormTests {
    struct StoredReading: Equatable, CustomStringConvertible {
        var station: String
        var sensor: String
        var ts: Int64
        var value: Double
        var quality: Int
        var seq: Int64?
        var description: String {
            "\(station)/\(sensor)@\(ts)=\(value) q\(quality) seq \(seq.map(String.init) ?? "nil")"
        }
    }

    private func stored(_ service: InProcessService) throws -> [StoredReading] {
        try service.query { db in
            try Row.fetchAll(
                db, sql: "SELECT station, sensor, ts, value, quality, seq FROM readings ORDER BY station, sensor, ts"
            ).map { row in
                StoredReading(
                    station: row["station"], sensor: row["sensor"], ts: row["ts"], value: row["value"],
                    quality: row["quality"], seq: row["seq"])
            }
        }
    }

    private func publishAndWait(_ topic: String, _ payload: String, expecting count: Int) async throws
        -> (InProcessService, TestBroker)
    {
        let broker = try TestBroker()
        let service = try InProcessService(broker: broker)
        try await service.start()
        try broker.mosquittoPub(topic: topic, payload: payload)
        let arrived = try await eventually { try service.readingCount() >= count }
        try await service.stop()
        let rejected = try service.rejectedRows().map { $0["reason"] as String }
        #expect(arrived, "expected \(count) readings; rejected: \(rejected)")
        return (service, broker)
    }

    @Test("one reading with an RFC 3339 time and offset")
    func singleReadingRFC3339() async throws {
        let (service, _) = try await publishAndWait(
            "gauges/cau-lau/level", #"{"ts":"2022-10-11T05:00:00+07:00","value":4.02}"#, expecting: 1)
        #expect(
            try stored(service) == [
                StoredReading(
                    station: "cau-lau", sensor: "level", ts: 1_665_439_200_000, value: 4.02, quality: 0, seq: nil)
            ])
    }

    @Test("one reading with Unix seconds, a numeric string value, seq and quality")
    func singleReadingUnixSeconds() async throws {
        let (service, _) = try await publishAndWait(
            "gauges/cau-lau/level", #"{"ts":1665442800,"value":"4.07","seq":12,"quality":"suspect"}"#, expecting: 1)
        #expect(
            try stored(service) == [
                StoredReading(
                    station: "cau-lau", sensor: "level", ts: 1_665_442_800_000, value: 4.07, quality: 1, seq: 12)
            ])
        let receivedAt = try service.query { try Int64.fetchOne($0, sql: "SELECT received_at FROM readings") }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        #expect((now - 120_000...now).contains(receivedAt ?? 0), "received_at is the time of storage")
    }

    @Test("a backlog array uploaded after a link loss")
    func backlog() async throws {
        let (service, _) = try await publishAndWait(
            "gauges/ai-nghia/level",
            #"[{"ts":"2020-10-28T16:00:00+07:00","value":7.75,"seq":1},{"ts":"2020-10-28T21:00:00+07:00","value":9.26,"seq":2}]"#,
            expecting: 2)
        #expect(
            try stored(service) == [
                StoredReading(
                    station: "ai-nghia", sensor: "level", ts: 1_603_875_600_000, value: 7.75, quality: 0, seq: 1),
                StoredReading(
                    station: "ai-nghia", sensor: "level", ts: 1_603_893_600_000, value: 9.26, quality: 0, seq: 2),
            ])
    }

    @Test("a SenML pack on gauges/<station> with level and rain")
    func senML() async throws {
        let (service, _) = try await publishAndWait(
            "gauges/cau-lau",
            #"[{"bn":"cau-lau/","bt":1665439200,"n":"level","u":"m","v":4.02},{"n":"rain","u":"mm","v":12.5}]"#,
            expecting: 2)
        #expect(
            try stored(service) == [
                StoredReading(
                    station: "cau-lau", sensor: "level", ts: 1_665_439_200_000, value: 4.02, quality: 0, seq: nil),
                StoredReading(
                    station: "cau-lau", sensor: "rain", ts: 1_665_439_200_000, value: 12.5, quality: 0, seq: nil),
            ])
    }
}

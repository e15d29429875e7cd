import Gauges
import Storage

/// Stations and batches that the tests of both stores (the SQLite file and PostgreSQL) store alike.
public enum StoreFixtures {
    /// Câu Lâu on the Thu Bồn: level and rain, BĐ I–III 2/3/4 m, the 2025 flood of record 5.61 m.
    public static let cauLau = Station(
        id: "cau-lau", name: "Câu Lâu", river: "Thu Bồn", basin: "Vu Gia – Thu Bồn", latitude: 15.85, longitude: 108.27,
        sensors: [
            Sensor(kind: .level, interval: 300, range: -1...9), Sensor(kind: .rain, interval: 300, range: 0...150),
        ],
        alarmLevels: AlarmLevels(levelI: 2, levelII: 3, levelIII: 4), record: FloodRecord(level: 5.61, year: 2025))

    /// A second station, level only.
    public static let hoiAn = Station(
        id: "hoi-an", name: "Hội An", river: "Thu Bồn", latitude: 15.88, longitude: 108.33,
        sensors: [Sensor(kind: .level, interval: 300, range: -1...6)],
        alarmLevels: AlarmLevels(levelI: 1, levelII: 1.5, levelIII: 2))

    /// A batch of one message on `gauges/cau-lau/level` holding the given readings, as the decoder would give them.
    public static func batch(
        _ readings: [Reading], payload: String = "{}", rejections: [Rejection] = [],
        receivedAt: Int64 = 1_700_000_000_000
    ) -> IngestBatch {
        let bytes = Array(payload.utf8)
        let decoded = DecodedMessage(
            readings: readings.map { DecodedReading(reading: $0, payloadRange: 0..<bytes.count) },
            rejections: rejections)
        return IngestBatch(
            receivedAt: receivedAt,
            messages: [IngestBatch.Message(topic: "gauges/cau-lau/level", payload: bytes, decoded: decoded)])
    }
}

import Alerts
import Foundation
import GRDB
import Gauges
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Storage
import Warnings

/// A database with two days of 5-minute readings at Câu Lâu, rain at Trà My, and warnings; the API over it.
enum APIFixture {
    static let cauLau = Station(
        id: "cau-lau", name: "Câu Lâu", river: "Thu Bồn", latitude: 15.852, longitude: 108.268,
        sensors: [
            Sensor(kind: .level, interval: 300, range: -1...9), Sensor(kind: .rain, interval: 300, range: 0...150),
        ],
        alarmLevels: AlarmLevels(levelI: 2, levelII: 3, levelIII: 4), record: FloodRecord(level: 5.61, year: 2025))
    static let nongSon = Station(
        id: "nong-son", name: "Nông Sơn", river: "Thu Bồn", latitude: 15.7, longitude: 108.03,
        sensors: [Sensor(kind: .level, interval: 300, range: 0...25)],
        alarmLevels: AlarmLevels(levelII: 13, levelIII: 15))
    static let traMy = Station(
        id: "tra-my", name: "Trà My", river: "Tranh", latitude: 15.35, longitude: 108.23,
        sensors: [Sensor(kind: .rain, interval: 300, range: 0...150)])
    /// Upstream first, as the catalogue lists them: Nông Sơn is above Câu Lâu on the Thu Bồn.
    static let catalogue = StationCatalogue(stations: [traMy, nongSon, cauLau])

    /// 2020-10-28T00:00:00+07:00.
    static let start: Int64 = 1_603_818_000_000
    /// Two days later: the clock of the fixture's API.
    static let now: Int64 = start + 2 * 86_400_000
    static let officer = AccessPolicy.Token(name: "duty", secret: "officer-secret-0123456789", role: .officer)
    static let reader = AccessPolicy.Token(name: "wall", secret: "reader-secret-0123456789", role: .reader)

    /// Level i: 1.0 m + 1 cm per reading (rising through BĐ I and II), rain 2 mm per reading.
    static func level(_ index: Int) -> Double { 1.0 + Double(index) * 0.01 }

    static func database() throws -> FloodDatabase {
        let folder = NSTemporaryDirectory() + "floodwatch-api-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let database = try FloodDatabase(path: folder + "/floodwatch.sqlite")
        try database.synchronizeStations(catalogue, now: start)
        try database.importReadings(
            (0..<576).flatMap { index in
                let ts = start + Int64(index) * 300_000
                return [
                    Reading(station: "cau-lau", sensor: .level, timestamp: ts, value: level(index)),
                    Reading(station: "cau-lau", sensor: .rain, timestamp: ts, value: 2.0),
                    Reading(station: "tra-my", sensor: .rain, timestamp: ts, value: 1.0),
                ]
            }, receivedAt: start)
        let raised = WarningEvent(
            station: "cau-lau", sensor: .level, rule: .level, kind: .raised, level: 1, timestamp: start + 100 * 300_000,
            value: 2.0, threshold: 2.0, messageVI: "Câu Lâu: báo động I", messageEN: "Câu Lâu: alarm level I")
        var escalated = raised
        escalated.kind = .escalated
        escalated.level = 2
        escalated.timestamp = start + 200 * 300_000
        escalated.messageEN = "Câu Lâu: alarm level II"
        try database.store(EngineResult(events: [raised]), createdAt: raised.timestamp)
        try database.store(EngineResult(events: [escalated]), createdAt: escalated.timestamp)
        return database
    }

    static func context(
        access: AccessPolicy = AccessPolicy(tokens: [officer, reader]),
        readiness: @escaping @Sendable () async -> APIServer.Readiness = { APIServer.Readiness() }
    ) throws -> APIServer.Context {
        APIServer.Context(
            database: try database(), catalogue: catalogue, alertSettings: AlertSettings(), access: access,
            readiness: readiness, metricsText: { "floodwatch_readings_stored_total 1728\n" }, clock: .fixed(now))
    }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any] else {
            throw TestError("not a JSON object: \(String(buffer: buffer))")
        }
        return object
    }

    /// The `error` object of an error answer.
    static func error(_ buffer: ByteBuffer) throws -> [String: Any] {
        try json(buffer)["error"] as? [String: Any] ?? [:]
    }
}

struct TestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

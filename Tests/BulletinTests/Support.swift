import Alerts
import Foundation
import Gauges
import Storage
import Warnings

/// Typhoon Molave's night, 28 Oct 2020, on a real SQLite file: the bulletin is stated at 21:00 (T), with readings
/// and warnings on both sides of T.
enum MolaveFixture {
    /// 2020-10-28T21:00:00+07:00.
    static let t: Int64 = 1_603_893_600_000
    static let minute: Int64 = 60_000
    static let hour: Int64 = 3_600_000

    static func gauge(
        _ id: String, _ name: String, _ river: String, alarms: AlarmLevels, record: FloodRecord? = nil
    ) -> Station {
        Station(
            id: id, name: name, river: river, latitude: 15.8, longitude: 108.2,
            sensors: [Sensor(kind: .level, interval: 300, range: -2...25)], alarmLevels: alarms, record: record)
    }

    static let catalogue = StationCatalogue(
        stations: [
            gauge(
                "ai-nghia", "Ái Nghĩa", "Vu Gia", alarms: AlarmLevels(levelI: 6.5, levelII: 8, levelIII: 9),
                record: FloodRecord(level: 10.77, year: 2009)),
            Station(
                id: "tra-kot", name: "Trà Kót", river: "Tranh", latitude: 15.28, longitude: 108.33, area: "tra-lien",
                sensors: [Sensor(kind: .rain, interval: 3600, range: 0...150)]),
            Station(
                id: "song-tranh-2", name: "Hồ Sông Tranh 2", river: "Tranh", latitude: 15.33, longitude: 108.16,
                kind: .reservoir, reservoir: Reservoir(normalLevel: 175, downstream: ["tra-doc"]), area: "tra-doc",
                sensors: [
                    Sensor(kind: .level, interval: 3600, range: 100...185),
                    Sensor(kind: .inflow, interval: 3600, range: 0...15000),
                    Sensor(kind: .outflow, interval: 3600, range: 0...15000),
                ]),
            gauge("nong-son", "Nông Sơn", "Thu Bồn", alarms: AlarmLevels(levelII: 13, levelIII: 15)),
            gauge(
                "giao-thuy", "Giao Thủy", "Thu Bồn", alarms: AlarmLevels(levelI: 6.5, levelII: 7.5, levelIII: 8.8),
                record: FloodRecord(level: 10.06, year: 1964)),
            gauge(
                "cau-lau", "Câu Lâu", "Thu Bồn", alarms: AlarmLevels(levelI: 2, levelII: 3, levelIII: 4),
                record: FloodRecord(level: 5.61, year: 2025)),
            gauge("cam-le", "Cẩm Lệ", "Hàn", alarms: AlarmLevels(levelIII: 2.5)),
            gauge("tam-ky", "Tam Kỳ", "Tam Kỳ", alarms: AlarmLevels(levelI: 1.7, levelII: 2.2, levelIII: 2.7)),
        ],
        areas: [
            Area(id: "tra-lien", name: "Trà Liên", kind: .commune, formerly: ["Trà Đông", "Trà Nú", "Trà Kót"]),
            Area(id: "tra-doc", name: "Trà Đốc", kind: .commune),
        ],
        riskZone: 3)

    static func level(_ station: String, _ minutesFromT: Int64, _ value: Double) -> Reading {
        Reading(station: station, sensor: .level, timestamp: t + minutesFromT * minute, value: value)
    }

    static func event(
        _ station: String, _ rule: WarningRule, _ kind: WarningEventKind, level: Int, minutesFromT: Int64,
        sensor: SensorKind = .level, value: Double? = nil, threshold: Double? = nil, projected: Int64? = nil,
        riskLevel: Int? = nil, area: String? = nil, message: String
    ) -> WarningEvent {
        WarningEvent(
            station: station, sensor: sensor, rule: rule, kind: kind, level: level,
            timestamp: t + minutesFromT * minute, value: value, threshold: threshold,
            projectedTimestamp: projected.map { t + $0 * minute }, riskLevel: riskLevel, area: area,
            messageVI: message, messageEN: "EN " + message)
    }

    /// The database: Ái Nghĩa rising through BĐ III to 9.26 m at 21:00 (and 9.40 m at 21:15, after T); Giao Thủy
    /// falling from its crest of 9.95 m at 19:30; Câu Lâu just above its record; Tam Kỳ steady below BĐ I; Nông Sơn
    /// silent since 17:00; Cẩm Lệ never heard; 24 hours of rain at Trà Kót; Sông Tranh 2 releasing 1,500 m³/s.
    /// Warnings: active ones with risk levels, a forecast, one cleared before T and one raised after it.
    static func database() throws -> FloodDatabase {
        let folder = NSTemporaryDirectory() + "floodwatch-bulletin-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let database = try FloodDatabase(path: folder + "/floodwatch.sqlite")
        try database.synchronizeStations(catalogue, now: t)
        var readings: [Reading] = []
        // Ái Nghĩa: 7.75 m at 16:00 to 9.26 m at 21:00, every 15 minutes (Molave's published pair), then after T.
        for step in 0...20 {
            readings.append(level("ai-nghia", -300 + Int64(step) * 15, 7.75 + (9.26 - 7.75) * Double(step) / 20))
        }
        readings.append(level("ai-nghia", 15, 9.40))
        readings += [
            level("giao-thuy", -120, 9.80), level("giao-thuy", -90, 9.95), level("giao-thuy", -60, 9.90),
            level("giao-thuy", -30, 9.80), level("giao-thuy", 0, 9.69),
            level("cau-lau", -60, 5.50), level("cau-lau", 0, 5.66),
            level("tam-ky", -60, 1.04), level("tam-ky", 0, 1.05),
            level("nong-son", -300, 13.90), level("nong-son", -240, 14.20),
        ]
        // Trà Kót: 5 mm an hour for the 24 hours to T; 99 mm in the hour before that window; 50 mm after T.
        for hoursBefore in 0...24 {
            readings.append(
                Reading(
                    station: "tra-kot", sensor: .rain, timestamp: t - Int64(hoursBefore) * hour,
                    value: hoursBefore == 24 ? 99 : 5))
        }
        readings.append(Reading(station: "tra-kot", sensor: .rain, timestamp: t + hour, value: 50))
        for (sensor, value) in [(SensorKind.level, 172.3), (.inflow, 562), (.outflow, 1500)] {
            readings.append(Reading(station: "song-tranh-2", sensor: sensor, timestamp: t, value: value))
        }
        try database.importReadings(readings, receivedAt: t)

        let events: [WarningEvent] = [
            event(
                "tam-ky", .level, .raised, level: 1, minutesFromT: -660, value: 1.75, threshold: 1.7,
                message: "Tam Kỳ (Tam Kỳ): 1,75 m lúc 10:00 28/10, vượt báo động I 0,05 m"),
            event(
                "tam-ky", .level, .cleared, level: 0, minutesFromT: -360, value: 1.5, threshold: 1.7,
                message: "Tam Kỳ (Tam Kỳ): hết cảnh báo"),
            event(
                "giao-thuy", .level, .raised, level: 3, minutesFromT: -120, value: 9.80, threshold: 8.8,
                message: "Giao Thủy (Thu Bồn): 9,80 m lúc 19:00 28/10, vượt báo động III 1,00 m"),
            event(
                "ai-nghia", .level, .raised, level: 3, minutesFromT: -60, value: 9.0, threshold: 9, riskLevel: 3,
                message: "Ái Nghĩa (Vu Gia): 9,00 m lúc 20:00 28/10, đạt báo động III. Cấp độ rủi ro thiên tai do lũ, "
                    + "ngập lụt: cấp 3"),
            event(
                "tra-kot", .landslide, .raised, level: 1, minutesFromT: -30, sensor: .rain, value: 115, threshold: 100,
                riskLevel: 1, area: "tra-lien",
                message: "Nguy cơ lũ quét, sạt lở đất tại xã Trà Liên: mưa 24 giờ qua 115,0 mm (Trà Kót) đến 20:30 "
                    + "28/10, đã mưa 1 ngày trước đó. Cấp độ rủi ro thiên tai: cấp 1"),
            event(
                "giao-thuy", .level, .updated, level: 3, minutesFromT: -15, value: 9.95, threshold: 8.8,
                message: "Giao Thủy (Thu Bồn): đỉnh lũ 9,95 m lúc 19:30 28/10, vượt báo động III 1,15 m; hiện 9,75 m "
                    + "lúc 20:45 28/10, đang xuống"),
            event(
                "ai-nghia", .forecast, .raised, level: 4, minutesFromT: 0, value: 9.26, threshold: 10.77,
                projected: 162, message: "Ái Nghĩa (Vu Gia): dự báo đạt mức lũ lịch sử (10,77 m) khoảng 23:40 28/10"),
        ]
        for event in events {
            try database.store(EngineResult(events: [event]), createdAt: event.timestamp)
        }
        let aiNghia = try requireValue(
            try database.activeWarnings().first {
                $0.latest.event.station == "ai-nghia" && $0.latest.event.rule == .level
            })
        _ = try database.acknowledge(
            warning: aiNghia.latest.warningID, by: "Trực ban", note: nil, from: nil, at: t - 20 * minute)
        // After T: a record flood at Câu Lâu.
        let late = event(
            "cau-lau", .level, .raised, level: 4, minutesFromT: 10, value: 5.70, threshold: 5.61,
            message: "Câu Lâu (Thu Bồn): sau thời điểm bản tin")
        try database.store(EngineResult(events: [late]), createdAt: late.timestamp)
        return database
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
}

/// `#require` for fixtures built outside a test.
func requireValue<T>(_ value: T?, _ what: String = "a value") throws -> T {
    guard let value else { throw FixtureError(description: "missing \(what)") }
    return value
}

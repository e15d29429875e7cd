import Foundation
import Gauges

/// A recorded flood to replay (`ReadingsCSV`: lines `station,sensor,ts,value`), published in file order as form a.
///
/// The whole file is checked before anything is published, so a bad line stops the replay with its file and line
/// number instead of leaving half a flood in the database.
struct CSVReplay: Sendable {
    typealias Row = ReadingsCSV.Row
    typealias LineError = ReadingsCSV.LineError

    let path: String
    let rows: [Row]

    /// Reads and checks a file. - Parameter now: Unix ms; a reading after it is refused, as FloodWatch would.
    static func load(path: String, now: Int64) throws(LineError) -> CSVReplay {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw LineError(path: path, line: 0, message: "cannot read the file (\(error.localizedDescription))")
        }
        return try parse(text, path: path, now: now)
    }

    /// Checks the text of a file (`ReadingsCSV`), then what publishing needs: topic-safe names, no future time.
    static func parse(_ text: String, path: String, now: Int64) throws(LineError) -> CSVReplay {
        let rows = try ReadingsCSV.parse(text, path: path)
        for row in rows {
            func fail(_ message: String) -> LineError { LineError(path: path, line: row.line, message: message) }
            if let problem = topicLevelProblem(row.station) { throw fail("station \(problem)") }
            if let problem = topicLevelProblem(row.sensor) { throw fail("sensor \(problem)") }
            guard row.timestamp <= now else {
                throw fail(
                    "ts is in the future (now is "
                        + "\(UnixTime.rfc3339(now - now % 1000, offsetSeconds: UnixTime.vietnamOffsetSeconds)))")
            }
        }
        return CSVReplay(path: path, rows: rows)
    }

    /// Why a text cannot be one level of an MQTT topic, or nil when it can.
    private static func topicLevelProblem(_ text: String) -> String? {
        if text.isEmpty { return "is empty" }
        if let bad = text.first(where: { $0 == "/" || $0 == "+" || $0 == "#" || $0.isWhitespace || $0 == "\"" }) {
            return "'\(text)' contains '\(bad)', which cannot be in a topic level"
        }
        return nil
    }

    /// The rows as numbered readings: each station and sensor counts its own `seq` from 1, in file order.
    var measurements: [(measurement: Measurement, unixSeconds: Bool)] {
        var counters: [String: Int64] = [:]
        return rows.map { row in
            let key = row.station + "/" + row.sensor
            let seq = (counters[key] ?? 0) + 1
            counters[key] = seq
            return (
                Measurement(
                    station: row.station, sensor: row.sensor, timestamp: row.timestamp, value: row.value, seq: seq),
                row.unixSeconds
            )
        }
    }
}

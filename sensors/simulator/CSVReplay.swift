import Foundation
import Gauges

/// A recorded flood to replay: lines `station,sensor,ts,value`, published in file order as form a.
///
/// The file may start with that header line; `#` lines are comments; blank lines are skipped. `ts` is RFC 3339
/// with an offset or Unix seconds. Fields are plain (no quoting): station ids, sensor names, times and numbers
/// never contain commas. The whole file is checked before anything is published, so a bad line stops the
/// replay with its file and line number instead of leaving half a flood in the database.
struct CSVReplay: Sendable {
    /// One line of the file.
    struct Row: Sendable, Hashable {
        var line: Int
        var station: String
        var sensor: String
        /// Unix epoch milliseconds.
        var timestamp: Int64
        var value: Double
        /// The file gave Unix seconds; the payload gives them too.
        var unixSeconds: Bool
    }

    /// A line that cannot be replayed, named as editors and compilers do: `file:line: message`.
    struct LineError: Error, CustomStringConvertible {
        let path: String
        /// 1-based; 0 when the file itself cannot be read.
        let line: Int
        let message: String
        var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
    }

    static let header = ["station", "sensor", "ts", "value"]

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

    /// Checks the text of a file; `path` only names it in errors.
    static func parse(_ text: String, path: String, now: Int64) throws(LineError) -> CSVReplay {
        var rows: [Row] = []
        var seenData = false
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            let content = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if content.isEmpty || content.hasPrefix("#") { continue }
            let fields = content.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if !seenData, fields.map({ $0.lowercased() }) == header {
                seenData = true
                continue
            }
            seenData = true
            func fail(_ message: String) -> LineError { LineError(path: path, line: line, message: message) }
            guard fields.count == 4 else {
                throw fail("expected 4 fields station,sensor,ts,value, found \(fields.count)")
            }
            let (station, sensor, time, valueText) = (fields[0], fields[1], fields[2], fields[3])
            if let problem = topicLevelProblem(station) { throw fail("station \(problem)") }
            if let problem = topicLevelProblem(sensor) { throw fail("sensor \(problem)") }
            let timestamp: Int64
            switch Timestamps.parse(time) {
            case .success(let milliseconds): timestamp = milliseconds
            case .failure(let error): throw fail("bad ts: \(error)")
            }
            guard timestamp <= now else {
                throw fail(
                    "ts \(time) is in the future (now is "
                        + "\(UnixTime.rfc3339(now - now % 1000, offsetSeconds: UnixTime.vietnamOffsetSeconds)))")
            }
            guard let value = Double(valueText), value.isFinite, !valueText.lowercased().hasPrefix("0x") else {
                throw fail("value '\(valueText)' is not a number")
            }
            rows.append(
                Row(
                    line: line, station: station, sensor: sensor, timestamp: timestamp, value: value,
                    unixSeconds: !time.contains(":")))
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

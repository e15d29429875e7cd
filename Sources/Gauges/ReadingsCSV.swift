/// Recorded readings as CSV, one per line: `station,sensor,ts,value`.
///
/// The file may start with that header line; `#` lines are comments; blank lines are skipped. `ts` is RFC 3339
/// with an offset or Unix seconds (fractions allowed). Fields are plain (no quoting): station ids, sensor names,
/// times and numbers never contain commas. Used by `floodwatch replay` and the gauge simulator's replay mode, so
/// both read a recorded flood the same way; a bad line is reported with its number.
public enum ReadingsCSV {
    /// One line of the file.
    public struct Row: Sendable, Hashable {
        /// 1-based line number in the file.
        public var line: Int
        public var station: String
        public var sensor: String
        /// Unix epoch milliseconds, UTC.
        public var timestamp: Int64
        public var value: Double
        /// The file gave Unix seconds rather than RFC 3339 text.
        public var unixSeconds: Bool
    }

    /// A line that cannot be read, named as editors and compilers do: `file:line: message`.
    public struct LineError: Error, Sendable, CustomStringConvertible {
        public let path: String
        /// 1-based; 0 when the problem is not on a line (the file cannot be read).
        public let line: Int
        public let message: String

        public init(path: String, line: Int, message: String) {
            self.path = path
            self.line = line
            self.message = message
        }

        public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
    }

    public static let header = ["station", "sensor", "ts", "value"]

    /// Reads the rows of a file's text; `path` only names the file in errors.
    public static func parse(_ text: String, path: String) throws(LineError) -> [Row] {
        var rows: [Row] = []
        var seenData = false
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = index + 1
            let content = trimmed(rawLine)
            if content.isEmpty || content.hasPrefix("#") { continue }
            let fields = content.split(separator: ",", omittingEmptySubsequences: false).map(trimmed)
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
            guard !station.isEmpty else { throw fail("station is empty") }
            guard !sensor.isEmpty else { throw fail("sensor is empty") }
            let timestamp: Int64
            switch Self.timestamp(time) {
            case .success(let milliseconds): timestamp = milliseconds
            case .failure(let error): throw fail("bad ts: \(error)")
            }
            guard let value = Double(valueText), value.isFinite, !valueText.lowercased().hasPrefix("0x") else {
                throw fail("value '\(valueText)' is not a number")
            }
            rows.append(
                Row(
                    line: line, station: station, sensor: sensor, timestamp: timestamp, value: value,
                    unixSeconds: !time.contains(":")))
        }
        return rows
    }

    /// A time as these files (and command-line options) write it: RFC 3339 with an offset, or Unix seconds.
    public static func timestamp(_ text: String) -> Result<Int64, RFC3339.ParseError> {
        // A date always has ':' in its time part; a number of seconds never does.
        if text.contains(":") { return RFC3339.milliseconds(text) }
        guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds < 1e11 else {
            return .failure(RFC3339.ParseError("'\(text)' is neither RFC 3339 with an offset nor Unix seconds"))
        }
        return .success(Int64((seconds * 1000).rounded()))
    }

    /// Without surrounding spaces and tabs. (Lines are split on every newline, so CR LF files work too: in Swift
    /// "\r\n" is one Character, which a split on "\n" would not see.)
    private static func trimmed(_ text: Substring) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(text[first...last])
    }
}

import Foundation
import Gauges

/// The simulator's output: one line per notable event on stdout, errors on stderr. Each line is written
/// straight to the file descriptor, so a log file (`scripts/run` sends stdout to one) is never behind.
enum Log {
    /// A line with the wall time in Vietnam (what an operator compares with FloodWatch's log).
    static func event(_ text: String) {
        let now = WallClock.system()
        let stamp = UnixTime.rfc3339(now - now % 1000, offsetSeconds: UnixTime.vietnamOffsetSeconds)
        // "2024-05-01T12:00:05+07:00" → "12:00:05"
        let clock = stamp.dropFirst(11).prefix(8)
        write("\(clock) \(text)\n", to: .standardOutput)
    }

    static func error(_ text: String) {
        write("gauge-simulator: " + text + "\n", to: .standardError)
    }

    /// A closed pipe (the log reader went away) must not stop the gauges: the error is ignored.
    private static func write(_ line: String, to handle: FileHandle) {
        try? handle.write(contentsOf: Data(line.utf8))
    }
}

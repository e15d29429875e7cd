import Gauges

/// Reading times as the simulator's options and replay files write them: RFC 3339 with a UTC offset
/// (`2020-10-28T21:00:00+07:00`, `Z` allowed) or Unix seconds (`1603893600`, fractions allowed), parsed the way
/// FloodWatch parses them, so a time the simulator accepts is one FloodWatch accepts too. It refuses a bad time
/// in a file or an option before anything is published, with the line it came from.
enum Timestamps {
    /// Unix epoch milliseconds, or a description of what is wrong.
    static func parse(_ text: String) -> Result<Int64, TimestampError> {
        if text.isEmpty { return .failure(TimestampError("empty time")) }
        // A date always has ':' in its time part; a number of seconds never does.
        guard text.contains(":") else {
            guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds < 1e11 else {
                return .failure(TimestampError("'\(text)' is not Unix seconds"))
            }
            return .success(Int64((seconds * 1000).rounded()))
        }
        return RFC3339.milliseconds(text).mapError { TimestampError($0.description) }
    }
}

/// Why a time could not be read.
struct TimestampError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

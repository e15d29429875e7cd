import Foundation
import Gauges
import Hummingbird

/// Reads and checks query parameters; every problem is a 400 naming the parameter.
struct QueryParameters {
    let request: Request

    func text(_ name: String) -> String? {
        request.uri.queryParameters[Substring(name)].map(String.init)
    }

    /// An RFC 3339 time with an offset, in Unix ms.
    func time(_ name: String) throws -> Int64? {
        // A '+' left unencoded in a query string arrives as a space; times never contain spaces.
        guard let text = text(name)?.replacingOccurrences(of: " ", with: "+") else { return nil }
        switch RFC3339.milliseconds(text) {
        case .success(let milliseconds): return milliseconds
        case .failure(let error):
            throw APIError.badParameter(name, "'\(text)' is not an RFC 3339 time with an offset (\(error))")
        }
    }

    func boolean(_ name: String) throws -> Bool? {
        guard let text = text(name) else { return nil }
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default: throw APIError.badParameter(name, "'\(text)' is not true or false")
        }
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = text(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.badParameter(
                name, "'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A bucket width in seconds, written as every duration of FloodWatch is (`DurationText`: `15m`, `1h`, `1d`,
    /// `3600`), from 5 minutes to 366 days.
    func step(_ name: String) throws -> Int? {
        guard let text = text(name) else { return nil }
        guard let seconds = DurationText.seconds(text), seconds > 0, seconds <= 366 * 86_400 else {
            throw APIError.badParameter(name, "'\(text)' is not a step such as 15m, 1h or 1d")
        }
        guard seconds >= 300 else {
            throw APIError.badParameter(name, "'\(text)' is shorter than 5m, the gauges' reporting interval")
        }
        return seconds
    }
}

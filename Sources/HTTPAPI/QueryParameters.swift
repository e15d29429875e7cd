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

    /// `15m`, `1h`, `1d`: a bucket width in seconds, at least 5 minutes.
    func step(_ name: String) throws -> Int? {
        guard let text = text(name) else { return nil }
        let units: [Character: Int] = ["m": 60, "h": 3600, "d": 86_400]
        guard let unit = text.last, let factor = units[unit], let count = Int(text.dropLast()), count > 0,
            count <= 366 * 86_400 / factor
        else {
            throw APIError.badParameter(name, "'\(text)' is not a step such as 15m, 1h or 1d")
        }
        guard count * factor >= 300 else {
            throw APIError.badParameter(name, "'\(text)' is shorter than 5m, the gauges' reporting interval")
        }
        return count * factor
    }
}

import ArgumentParser
import Gauges

/// A time given to `--from` or `--until`: RFC 3339 with an offset, or Unix seconds.
struct TimeArgument: Sendable, Hashable {
    /// Unix epoch milliseconds.
    var milliseconds: Int64

    /// The option's transform: says what is wrong with the text instead of just "invalid".
    static func parse(_ argument: String) throws -> TimeArgument {
        switch ReadingsCSV.timestamp(argument) {
        case .success(let milliseconds): TimeArgument(milliseconds: milliseconds)
        case .failure(let error): throw ValidationError(error.description)
        }
    }
}

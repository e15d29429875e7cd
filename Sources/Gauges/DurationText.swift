/// Durations as people write them in the catalogue and on the command line: whole seconds (`300`) or a whole number
/// with a unit, `30s`, `5m`, `1h`, `1d`.
public enum DurationText {
    static let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]

    /// Seconds, or nil when the text is not such a duration (or overflows). Signs are kept: the caller decides
    /// whether zero or negative makes sense.
    public static func seconds(_ text: String) -> Int? {
        let text = text.trimmingSpaces
        if let plain = Int(text) { return plain }
        guard let unit = text.last, let factor = units[unit] else { return nil }
        let digits = text.dropLast().trimmingSpaces
        let unsigned = digits.hasPrefix("-") || digits.hasPrefix("+") ? digits.dropFirst() : Substring(digits)
        guard !unsigned.isEmpty, unsigned.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(digits) else {
            return nil
        }
        let (seconds, overflow) = count.multipliedReportingOverflow(by: factor)
        return overflow ? nil : seconds
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        guard let first = firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(self[first...last])
    }
}

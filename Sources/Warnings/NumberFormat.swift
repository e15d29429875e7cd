/// Decimal numbers for messages and bulletins, without Foundation: Vietnamese writes a decimal comma, English a
/// point.
public enum NumberFormat {
    /// `value` rounded to `decimals` places (half away from zero), e.g. `4,07` or `4.07`.
    public static func fixed(_ value: Double, decimals: Int, _ language: Language) -> String {
        guard value.isFinite else { return String(value) }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (value.magnitude * Double(scale)).rounded()
        guard scaled < 9e15 else { return String(value) }
        let units = Int64(scaled)
        var text = value < 0 && units != 0 ? "-" : ""
        text += String(units / scale)
        if decimals > 0 {
            let fraction = String(units % scale)
            text.append(language.decimalSeparator)
            text += String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }

    /// Metres with centimetres, as the bulletins give water levels: `4,07`.
    public static func metres(_ value: Double, _ language: Language) -> String {
        fixed(value, decimals: 2, language)
    }

    /// Water levels in whole centimetres, so that a difference shown agrees with the two levels shown.
    public static func centimetres(_ value: Double) -> Int64 {
        Int64((value * 100).rounded())
    }

    /// A rain sum with tenths of a millimetre, the resolution of a tipping bucket: `152,3`.
    public static func millimetres(_ value: Double, _ language: Language) -> String {
        fixed(value, decimals: 1, language)
    }

    /// A flow in whole cubic metres a second: `1500`.
    public static func flow(_ value: Double, _ language: Language) -> String {
        fixed(value, decimals: 0, language)
    }

    /// A rain threshold: whole millimetres when whole (`150`), else tenths.
    static func threshold(millimetres value: Double, _ language: Language) -> String {
        value == value.rounded() ? fixed(value, decimals: 0, language) : fixed(value, decimals: 1, language)
    }
}

/// The two languages every message and bulletin is written in; the raw values are the `lang` of the HTTP API.
public enum Language: String, Sendable, Hashable, CaseIterable {
    case vietnamese = "vi"
    case english = "en"

    public var decimalSeparator: Character {
        switch self {
        case .vietnamese: ","
        case .english: "."
        }
    }
}

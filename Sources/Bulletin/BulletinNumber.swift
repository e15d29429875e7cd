/// Numbers as bulletins print them: Vietnamese with a decimal comma (`9,26 m`), English with a point (`9.26 m`).
enum BulletinNumber {
    /// `value` rounded to `decimals` places, half away from zero.
    static func fixed(_ value: Double, decimals: Int, _ language: BulletinLanguage) -> String {
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
            text += (language == .vietnamese ? "," : ".")
            text += String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }

    /// A water level or a difference of levels, to the centimetre: `9,26`.
    static func metres(_ value: Double, _ language: BulletinLanguage) -> String {
        fixed(value, decimals: 2, language)
    }

    /// Rain, to the tenth of a millimetre (a tipping bucket's resolution): `313,3`.
    static func millimetres(_ value: Double, _ language: BulletinLanguage) -> String {
        fixed(value, decimals: 1, language)
    }

    /// A flow in whole cubic metres a second: `1500`.
    static func flow(_ value: Double, _ language: BulletinLanguage) -> String {
        fixed(value, decimals: 0, language)
    }

    /// Whole centimetres, so that a difference shown agrees with the two levels shown.
    static func centimetres(_ value: Double) -> Int64 {
        Int64((value * 100).rounded())
    }
}

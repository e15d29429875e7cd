import Alerts

/// A natural-disaster risk level (cấp độ rủi ro thiên tai, 1–5) of Decision 18/2021/QĐ-TTg with its official colour.
///
/// Article 4, clause 3 names the colours: "cấp 1 màu xanh dương nhạt là rủi ro thấp; cấp 2 màu vàng nhạt là rủi ro
/// trung bình; cấp 3 màu da cam là rủi ro lớn; cấp 4 màu đỏ là rủi ro rất lớn; cấp 5 màu tím là rủi ro ở mức thảm
/// họa" (Sources/Catalogue/Resources/decision-18-2021/colours.yaml). The Decision gives names, no RGB values: the
/// swatches are the page's shades of those names (dashboard.html `--r1`…`--r5`), the project's own choice. A bulletin
/// always writes the level and the colour's name beside a swatch, so nothing is told by colour alone.
public struct OfficialRiskLevel: Sendable, Hashable {
    public var level: Int
    /// "xanh dương nhạt" / "light blue".
    public var colour: Phrase
    /// "rủi ro thấp" / "low risk".
    public var risk: Phrase
    /// A CSS colour of that name, for the swatch.
    public var swatch: String

    /// The level's colour and wording; nil outside 1–5.
    public init?(_ level: Int) {
        guard (1...5).contains(level) else { return nil }
        // The colours' names are the Decision's, kept once for CAP and the bulletin (`RiskColour`).
        guard let name = RiskColour.name(level: level) else { return nil }
        let table: [(Phrase, String)] = [
            (Phrase(vi: "rủi ro thấp", en: "low risk"), "#a6d8f0"),
            (Phrase(vi: "rủi ro trung bình", en: "medium risk"), "#fff3a0"),
            (Phrase(vi: "rủi ro lớn", en: "high risk"), "#ff9a3c"),
            (Phrase(vi: "rủi ro rất lớn", en: "very high risk"), "#e53935"),
            (Phrase(vi: "rủi ro ở mức thảm họa", en: "disaster risk"), "#8e24aa"),
        ]
        self.level = level
        colour = Phrase(vi: name.vi, en: name.en)
        (risk, swatch) = table[level - 1]
    }

    /// "cấp 2, màu vàng nhạt (rủi ro trung bình)" / "level 2, light yellow (medium risk)".
    public var phrase: Phrase {
        Phrase { language in
            switch language {
            case .vietnamese: "cấp \(level), màu \(colour.vi) (\(risk.vi))"
            case .english: "level \(level), \(colour.en) (\(risk.en))"
            }
        }
    }
}

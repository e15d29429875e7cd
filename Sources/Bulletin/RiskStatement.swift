import Gauges
import Warnings

/// An official risk level stated by the warnings active at T, per commune (or station, where the warning names no
/// commune) and hazard: "Cấp độ rủi ro thiên tai do lũ quét, sạt lở đất tại xã Trà Liên: cấp 1, màu xanh dương nhạt
/// (rủi ro thấp)", as bulletins end.
public struct RiskStatement: Sendable, Hashable {
    /// Which article's hazard.
    public enum Hazard: String, Sendable, Hashable, CaseIterable {
        /// Floods and inundation (lũ, ngập lụt), Article 45: the `level` warnings.
        case flood
        /// Flash floods and landslides from rain (lũ quét, sạt lở đất), Article 46: the `landslide` warnings.
        case flashFloodLandslide = "flash_flood_landslide"
        /// Any other rule that states a risk level.
        case other

        init(_ rule: WarningRule) {
            switch rule {
            case .level, .forecast: self = .flood
            case .landslide: self = .flashFloodLandslide
            default: self = .other
            }
        }

        /// "Lũ, ngập lụt" / "Flood and inundation": the hazard's name in a table.
        public var name: Phrase {
            switch self {
            case .flood: Phrase(vi: "Lũ, ngập lụt", en: "Flood and inundation")
            case .flashFloodLandslide: Phrase(vi: "Lũ quét, sạt lở đất", en: "Flash flood and landslide")
            case .other: Phrase(vi: "Thiên tai", en: "Natural disaster")
            }
        }

        /// "do lũ, ngập lụt" / "Flood": in the sentence "Cấp độ rủi ro thiên tai do lũ, ngập lụt tại …".
        var words: Phrase {
            switch self {
            case .flood: Phrase(vi: "do lũ, ngập lụt", en: "Flood")
            case .flashFloodLandslide: Phrase(vi: "do lũ quét, sạt lở đất", en: "Flash flood and landslide")
            case .other: Phrase(vi: "", en: "Natural disaster")
            }
        }
    }

    /// The area id where the warnings name one, else the station id.
    public var place: String
    /// "xã Trà Liên" / "Trà Liên commune"; a station without a commune: "Câu Lâu (Thu Bồn)".
    public var placeName: Phrase
    public var hazard: Hazard
    public var level: OfficialRiskLevel
    /// The warnings stating it (the highest level of them is stated).
    public var warnings: [Int64]
    /// The stations those warnings are of.
    public var stations: [String]
    public var sentence: Phrase

    public init(
        place: String, placeName: Phrase, hazard: Hazard, level: OfficialRiskLevel, warnings: [Int64],
        stations: [String]
    ) {
        self.place = place
        self.placeName = placeName
        self.hazard = hazard
        self.level = level
        self.warnings = warnings
        self.stations = stations
        sentence = Phrase { language in
            switch language {
            case .vietnamese:
                let hazard = hazard.words.vi.isEmpty ? "" : " " + hazard.words.vi
                return "Cấp độ rủi ro thiên tai" + hazard + " tại " + placeName.vi + ": " + level.phrase.vi
            case .english:
                return hazard.words.en + " risk level in " + placeName.en + ": " + level.phrase.en
            }
        }
    }
}

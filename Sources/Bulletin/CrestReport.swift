import Gauges
import Warnings

/// A flood crest FloodWatch told (the `updated` event of a level warning that states "đỉnh lũ … m lúc …"), in the
/// bulletins' words: "Giao Thủy: đỉnh lũ 8,35 m lúc 04:00 ngày 11/10, trên báo động II 0,85 m".
public struct CrestReport: Sendable, Hashable {
    public var station: String
    public var name: String
    public var river: String
    /// The level warning the crest was told on.
    public var warningID: Int64
    /// The crest: its level, and when the water stood there (nil when its readings are no longer stored).
    public var value: Double
    public var time: Int64?
    /// When FloodWatch told it: the reading that had fallen far enough below it.
    public var toldAt: Int64
    public var standing: LevelStanding
    public var sentence: Phrase

    public init(station: Station, warningID: Int64, value: Double, time: Int64?, toldAt: Int64, at bulletin: Int64) {
        self.station = station.id
        name = station.name
        river = station.river
        self.warningID = warningID
        self.value = value
        self.time = time
        self.toldAt = toldAt
        let standing = LevelStanding(value: value, station: station)
        self.standing = standing
        let reference = BulletinTime(bulletin)
        let name = station.name
        sentence = Phrase { language in
            var text =
                name + ": " + (language == .vietnamese ? "đỉnh lũ " : "crest ")
                + NumberFormat.metres(value, language) + " m"
            if let time { text += " " + BulletinTime(time).short(language, reference: reference) }
            if let relation = standing.phrase { text += ", " + relation[language] }
            return text
        }
    }

    /// When the crest stood: walking back from the event over the readings before it (oldest first), the earliest
    /// reading at the crest's level (to the centimetre) after the last one above it. The engine keeps the first
    /// reading of the highest level of a wave as its crest; this finds the same one from the stored readings.
    static func crestTime(value: Double, readings: [Observation]) -> Int64? {
        let crest = NumberFormat.centimetres(value)
        var found: Int64?
        for reading in readings.reversed() {
            let centimetres = NumberFormat.centimetres(reading.value)
            if centimetres > crest { break }
            if centimetres == crest { found = reading.time }
        }
        return found
    }
}

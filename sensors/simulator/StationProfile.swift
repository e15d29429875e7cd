import Gauges

/// How a station sits in the basin, for the simulation: how much rain it gets, how late the river answers,
/// how much tide it sees, and the levels its hydrograph moves between.
///
/// The catalogue has no notion of upstream or downstream, so the bundled stations get hand-set values from
/// their place in the basin (Bắc Trà My's gauges and Nông Sơn in the mountains, Hội An at the river mouth); any
/// other station gets middle-of-the-basin defaults. The values are plausible, not calibrated, except the rain
/// factors of Trà Dương and Trà Kót, which are their recorded totals over Trà My's in one event.
struct StationProfile: Sendable, Hashable {
    /// Share of the storm's reference rain: a gauge's wettest 24 hours bring this times the storm's reference
    /// (`StormKind`). 1 is Trà My town.
    var rainFactor: Double
    /// Hours the rain bands arrive after the reference (they come from the sea and reach the mountains later).
    var rainDelayHours: Double
    /// Hours from a burst of rain to this station's greatest response.
    var lagHours: Double
    /// Metres of tide swing (half the range) at normal levels; zero upstream.
    var tideAmplitude: Double

    static let middleOfBasin = StationProfile(rainFactor: 0.65, rainDelayHours: 0.5, lagHours: 7, tideAmplitude: 0)

    /// Upstream first: Bắc Trà My's rain (on the Tranh) feeds the Thu Bồn through Nông Sơn, Giao Thủy, Câu Lâu
    /// to Hội An; the Vu Gia runs Hội Khách → Ái Nghĩa; Cẩm Lệ is on the Hàn at Đà Nẵng;
    /// Tam Kỳ is a short coastal river.
    ///
    /// Bắc Trà My's rain gauges report rain only (their lag is unused). In the 24 hours to 3 Dec 2022 bulletins
    /// gave Trà My town 313.3 mm, Trà Dương 386.2 mm and Trà Kót 444 mm: those ratios are Trà Dương's and
    /// Trà Kót's factors, so that every storm keeps them. Trà Bui and Trà Đốc, with no figure found, get about
    /// Trà My's; Trà Giác less (261 mm over three days, 19–21 Nov 2022, when Nam Trà My's gauges had 278–297 mm):
    /// guesses, not records. The rest of the basin gets less than the mountains, down to half of Trà My's at the
    /// river mouth.
    static let bundled: [String: StationProfile] = [
        "tra-my": StationProfile(rainFactor: 1, rainDelayHours: 1, lagHours: 3, tideAmplitude: 0),
        "tra-duong": StationProfile(rainFactor: 386.2 / 313.3, rainDelayHours: 1, lagHours: 3, tideAmplitude: 0),
        "tra-kot": StationProfile(rainFactor: 444 / 313.3, rainDelayHours: 0.75, lagHours: 3, tideAmplitude: 0),
        "tra-giac": StationProfile(rainFactor: 0.85, rainDelayHours: 1.5, lagHours: 3, tideAmplitude: 0),
        "tra-bui": StationProfile(rainFactor: 1, rainDelayHours: 1.5, lagHours: 3, tideAmplitude: 0),
        "tra-doc": StationProfile(rainFactor: 0.95, rainDelayHours: 1.25, lagHours: 3, tideAmplitude: 0),
        "hoi-khach": StationProfile(rainFactor: 0.8, rainDelayHours: 1, lagHours: 4, tideAmplitude: 0),
        "nong-son": StationProfile(rainFactor: 0.85, rainDelayHours: 1, lagHours: 4.5, tideAmplitude: 0),
        "ai-nghia": StationProfile(rainFactor: 0.7, rainDelayHours: 0.5, lagHours: 6, tideAmplitude: 0),
        "giao-thuy": StationProfile(rainFactor: 0.7, rainDelayHours: 0.5, lagHours: 7, tideAmplitude: 0),
        "tam-ky": StationProfile(rainFactor: 0.55, rainDelayHours: 0, lagHours: 5, tideAmplitude: 0.1),
        "cam-le": StationProfile(rainFactor: 0.6, rainDelayHours: 0, lagHours: 7.5, tideAmplitude: 0.1),
        "cau-lau": StationProfile(rainFactor: 0.55, rainDelayHours: 0, lagHours: 9, tideAmplitude: 0.08),
        "hoi-an": StationProfile(rainFactor: 0.5, rainDelayHours: 0, lagHours: 10, tideAmplitude: 0.2),
    ]

    static func of(_ stationID: String) -> StationProfile {
        bundled[stationID] ?? middleOfBasin
    }

    /// The level a station rests at between storms and the peak of this storm, in metres, inside `range`.
    ///
    /// Base: 1.5 m below BĐ I (or below the lowest known alarm level), but never more than half that level
    /// below it: Hội An's BĐ I is 1.00 m, and 1.5 m below it would put the river mouth under the sea.
    /// Peak: anywhere from BĐ I (or 1 m below the lowest known level) to 0.3 m above BĐ III (or the highest known),
    /// drawn per station, so one storm leaves some stations below the alarm and sends others past BĐ III.
    /// A station with no known alarm level moves between 15 % and 45 % of its physical range.
    static func envelope(
        alarms: AlarmLevels, range: ClosedRange<Double>, draw: Double
    ) -> (base: Double, peak: Double) {
        let span = range.upperBound - range.lowerBound
        let known = alarms.known.map(\.metres)
        var base: Double
        var peak: Double
        if let lowest = known.first, let highest = known.last {
            let drop = lowest > 0 ? min(1.5, lowest / 2) : 1.5
            base = lowest - drop
            // Without BĐ I, a metre below the lowest known level stands in for it, so that not every storm
            // sends such a station (Cẩm Lệ knows only BĐ III) to its lowest known alarm.
            let low = alarms.levelI ?? max(base + 0.3, lowest - 1)
            let high = (alarms.levelIII ?? highest) + 0.3
            peak = low + (high - low) * draw
        } else {
            base = range.lowerBound + span * 0.15
            peak = range.lowerBound + span * (0.3 + 0.15 * draw)
        }
        // Stay inside the physical range, or FloodWatch would reject the readings as out of range.
        let margin = min(0.05 * span, 0.5)
        let lowest = range.lowerBound + margin
        let highest = range.upperBound - margin
        base = min(max(base, lowest), highest)
        peak = min(max(peak, base), highest)
        return (base, peak)
    }
}

/// The district's situation report (bản tin) at a time T, compiled from FloodWatch's own stored readings and
/// warnings as of T, nothing later. Build one with `BulletinBuilder.build(database:catalogue:at:)`; render it with
/// `text()`, `json()` and `html(_:)`.
public struct Bulletin: Sendable, Hashable {
    /// T, Unix ms UTC: every figure is from readings and warning events timed at or before it.
    public var time: Int64
    /// "Bản tin tình hình mưa lũ" / "Flood situation report".
    public var title: Phrase
    /// "lúc 15:00 ngày 03/12/2022" / "at 15:00 on 3 Dec 2022".
    public var timeText: Phrase
    /// Every water-level station (gauges, not reservoirs), grouped by river along each river from upstream to the sea.
    public var levels: [LevelReport]
    /// Crests told in the day before T, oldest first.
    public var crests: [CrestReport]
    /// Every station with a rain gauge, in catalogue order.
    public var rain: [RainReport]
    /// Every reservoir.
    public var reservoirs: [ReservoirReport]
    /// The warnings active at T, highest level first.
    public var warnings: [WarningReport]
    /// The official risk levels those warnings state (a `forecast` warning's is in `outlook`: it is only projected).
    public var riskLevels: [RiskStatement]
    /// What is expected: the active `forecast` warnings, as estimates from the trend.
    public var outlook: [TrendEstimate]
    /// Made while simulated gauges drive the service (`serve --exercise`): the JSON says so, as every alert does.
    public var exercise = false

    public init(
        time: Int64, levels: [LevelReport], crests: [CrestReport], rain: [RainReport], reservoirs: [ReservoirReport],
        warnings: [WarningReport], riskLevels: [RiskStatement], outlook: [TrendEstimate]
    ) {
        self.time = time
        title = Phrase(vi: "Bản tin tình hình mưa lũ", en: "Flood situation report")
        timeText = Phrase { BulletinTime(time).full($0) }
        self.levels = levels
        self.crests = crests
        self.rain = rain
        self.reservoirs = reservoirs
        self.warnings = warnings
        self.riskLevels = riskLevels
        self.outlook = outlook
    }

    /// Whether any warning was active at T.
    public var hasActiveWarnings: Bool { !warnings.isEmpty }

    /// What the bulletin is and is not, written under its title.
    static let provenance = Phrase(
        vi: "Tổng hợp tự động từ số liệu đo và cảnh báo FloodWatch lưu đến thời điểm trên (giờ Việt Nam, UTC+7); "
            + "số liệu đo tự động, chưa được hiệu chỉnh.",
        en: "Compiled automatically from the readings and warnings FloodWatch had stored by that time (Vietnam time, "
            + "UTC+7); automatic measurements, not yet checked.")

    /// The outlook's caveat: an estimate from the measured trend is not the hydro-meteorological service's bulletin.
    static let estimateCaveat = Phrase(
        vi: "Ước tính theo xu thế số liệu đo của FloodWatch, không thay thế bản tin của cơ quan khí tượng thủy văn.",
        en: "Estimates from the trend of FloodWatch's measurements; they do not replace the hydro-meteorological "
            + "service's bulletins.")
}

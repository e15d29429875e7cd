/// How the warning rules judge one station: thresholds, windows and hysteresis, with documented defaults.
///
/// `sensors/stations.yaml` may override any value, for all stations (top-level `rules:`) or for one station (its own
/// `rules:`); what is not given keeps the default below. Durations are in seconds, levels in metres, rain in mm.
public struct StationRules: Sendable, Hashable {
    public var level = LevelRule()
    public var rise = RiseRule()
    public var forecast = ForecastRule()
    public var rain = RainRule()
    public var silent = SilentRule()
    public var landslide = LandslideRule()
    public var release = ReleaseRule()
    public var pool = PoolRule()

    public init() {}

    /// Alarm level (rule id `level`): levels 1–3 at BĐ I–III, 4 at the highest flood on record.
    public struct LevelRule: Sendable, Hashable {
        public var enabled = true
        /// A warning comes down only once the water is below its threshold minus this, ...
        public var deadband = 0.10
        /// ... continuously for this long. A river hovering at a threshold gives one warning, not fifty.
        public var holdSeconds = 1800
        /// A reading that differs from the one before by more than this many metres per minute (judged over at
        /// least 5 minutes, so sensor noise between close readings is no spike) is suspect until confirmed.
        public var spikeMetresPerMinute = 0.05
        /// Once the water has peaked at or above BĐ I and fallen this many metres below the peak, the crest is told
        /// (đỉnh lũ … m lúc …), as bulletins always do.
        public var crestDrop = 0.10

        public init() {}
    }

    /// Rate of rise (rule id `rise`): the rise over `windowSeconds` against one threshold per level.
    public struct RiseRule: Sendable, Hashable {
        public var enabled = true
        public var windowSeconds = 3600
        /// Metres of rise within the window for level 1, 2, …: 0.3 m in 1 h for level 1, 1.0 m for level 2.
        public var thresholds: [Double] = [0.3, 1.0]
        public var holdSeconds = 1800

        public init() {}
    }

    /// Projected crossing (rule id `forecast`): a straight line fitted to the recent readings.
    public struct ForecastRule: Sendable, Hashable {
        public var enabled = true
        /// Readings of this last stretch of time are fitted ...
        public var windowSeconds = 7200
        /// ... when there are at least this many.
        public var minimumReadings = 4
        /// A warning is raised when the next alarm level is projected to be reached within this time.
        public var horizonSeconds = 10800
        /// It clears at once when the level is reached, and after this long without a projected crossing.
        public var holdSeconds = 1800

        public init() {}
    }

    /// Rain accumulation (rule id `rain`): rolling sums against thresholds per window.
    public struct RainRule: Sendable, Hashable {
        public var enabled = true
        /// Millimetres per window length (seconds) for level 1, 2, …. Defaults from official practice: 3-hour
        /// intensity warnings at 70, 150 and 200 mm, and the 24-hour tiers of 100, 200 and 400 mm of Decision
        /// 18/2021/QĐ-TTg art. 46. The 1-, 6- and 72-hour windows have no official default and are off until a
        /// station sets them.
        public var thresholds: [Int: [Double]] = [10_800: [70, 150, 200], 86_400: [100, 200, 400]]
        public var holdSeconds = 1800

        /// The windows the rule can sum over: 1 h, 3 h, 6 h, 24 h and 72 h.
        public static let windows = [3600, 10_800, 21_600, 86_400, 259_200]

        public init() {}
    }

    /// Flash floods and landslides from rain (rule id `landslide`), Article 46 of Decision 18/2021/QĐ-TTg: the rain of
    /// the last 24 hours and the days it had rained before, at a rain gauge whose area has a landslide risk zone.
    public struct LandslideRule: Sendable, Hashable {
        public var enabled = true
        /// A 24-hour window before the current one counts as a day of rain with at least this much.
        public var rainDayMillimetres = 1.0
        /// The warning comes down only after the 24-hour rain has stayed below its tier this long: the slopes stay
        /// saturated after the rain stops.
        public var holdSeconds = 86_400

        public init() {}
    }

    /// A reservoir's release (rule id `release`, on its outflow): levels by outflow thresholds, and a notice
    /// whenever the outflow has risen by `step` within an hour. Downstream communes are told.
    public struct ReleaseRule: Sendable, Hashable {
        public var enabled = true
        /// m³/s of outflow for level 1, 2, …; none by default: they are local choices, set in the catalogue.
        public var thresholds: [Double] = []
        /// A rise of the outflow by this many m³/s within `stepWindowSeconds` is told, whatever the level.
        public var stepCubicMetres = 300.0
        public var stepWindowSeconds = 3600
        public var holdSeconds = 1800

        public init() {}
    }

    /// A reservoir's level against its normal water level (rule id `pool`): level 1 within `margin` of it,
    /// level 2 at or above it.
    public struct PoolRule: Sendable, Hashable {
        public var enabled = true
        public var marginMetres = 1.0
        public var holdSeconds = 1800

        public init() {}
    }

    /// Silent gauge (rule id `silent`).
    public struct SilentRule: Sendable, Hashable {
        public var enabled = true
        /// A sensor is silent after max(3 × its interval, this) without a reading.
        public var minimumSeconds = 1800
        public var intervals = 3

        public init() {}

        /// Seconds without a reading after which a sensor reporting every `interval` seconds is silent.
        public func limit(interval: Int) -> Int {
            max(intervals * interval, minimumSeconds)
        }
    }
}

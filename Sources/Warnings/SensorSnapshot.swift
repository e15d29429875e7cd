/// What the engine must remember of one sensor across a restart: a few numbers, not the rolling windows (those are
/// rebuilt from the stored readings, see `WarningEngine.init(catalogue:snapshots:recent:)`).
///
/// Codable so that storage can keep it as one JSON value per sensor.
public struct SensorSnapshot: Sendable, Hashable, Codable {
    /// The newest reading time processed (Unix ms). A reading at or before it only fills the windows.
    public internal(set) var watermark: Int64?
    /// When the newest reading arrived at FloodWatch (Unix ms, arrival clock): the silent-gauge timer.
    public internal(set) var lastArrival: Int64?
    /// The value of the newest reading, whatever its quality.
    public internal(set) var lastValue: Double?
    /// Level sensors: the last accepted reading and the spike waiting for confirmation.
    public internal(set) var spike = SpikeFilter()
    /// The rules' warnings and hold timers.
    public internal(set) var level = Hysteresis()
    public internal(set) var rise = Hysteresis()
    public internal(set) var forecast = Hysteresis()
    public internal(set) var rain = Hysteresis()
    /// The window that decided the rain warning's last event, reported again when it clears.
    public internal(set) var rainWindowSeconds: Int?
    public internal(set) var silent = Hysteresis()
    /// Readings lost upstream: up while the sensor has open gaps in its counter.
    public internal(set) var gap = Hysteresis()
    /// Flash floods and landslides from rain.
    public internal(set) var landslide = Hysteresis()
    /// When the 24-hour rain last fell below the landslide rule's lowest tier (Unix ms, reading time); nil while at
    /// or above it. The warning clears only once this is `hold` old.
    public internal(set) var landslideDrySince: Int64?
    /// A reservoir's release, and the outflow and time it was last told at (for "stepped up" notices).
    public internal(set) var release = Hysteresis()
    public internal(set) var releaseTold: TimedValue?
    /// A reservoir's level against its normal water level.
    public internal(set) var pool = Hysteresis()
    /// The highest level since the level warning was raised or its last crest was told; and whether that crest was
    /// told.
    public internal(set) var peak: TimedValue?
    public internal(set) var peakTold = false
    /// The Article 45 risk level the level warning last stated (`RiskAssessment.code`), and the water level it was
    /// stated at; nil without a flood zone or a level warning.
    public internal(set) var floodRiskTold: Int?
    public internal(set) var floodRiskToldAt: Double?

    public init() {}

    /// Every field that may be missing defaults: snapshots written before a rule existed read as "no warning".
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        watermark = try container.decodeIfPresent(Int64.self, forKey: .watermark)
        lastArrival = try container.decodeIfPresent(Int64.self, forKey: .lastArrival)
        lastValue = try container.decodeIfPresent(Double.self, forKey: .lastValue)
        spike = try container.decodeIfPresent(SpikeFilter.self, forKey: .spike) ?? SpikeFilter()
        level = try container.decodeIfPresent(Hysteresis.self, forKey: .level) ?? Hysteresis()
        rise = try container.decodeIfPresent(Hysteresis.self, forKey: .rise) ?? Hysteresis()
        forecast = try container.decodeIfPresent(Hysteresis.self, forKey: .forecast) ?? Hysteresis()
        rain = try container.decodeIfPresent(Hysteresis.self, forKey: .rain) ?? Hysteresis()
        rainWindowSeconds = try container.decodeIfPresent(Int.self, forKey: .rainWindowSeconds)
        silent = try container.decodeIfPresent(Hysteresis.self, forKey: .silent) ?? Hysteresis()
        gap = try container.decodeIfPresent(Hysteresis.self, forKey: .gap) ?? Hysteresis()
        landslide = try container.decodeIfPresent(Hysteresis.self, forKey: .landslide) ?? Hysteresis()
        landslideDrySince = try container.decodeIfPresent(Int64.self, forKey: .landslideDrySince)
        release = try container.decodeIfPresent(Hysteresis.self, forKey: .release) ?? Hysteresis()
        releaseTold = try container.decodeIfPresent(TimedValue.self, forKey: .releaseTold)
        pool = try container.decodeIfPresent(Hysteresis.self, forKey: .pool) ?? Hysteresis()
        peak = try container.decodeIfPresent(TimedValue.self, forKey: .peak)
        peakTold = try container.decodeIfPresent(Bool.self, forKey: .peakTold) ?? false
        floodRiskTold = try container.decodeIfPresent(Int.self, forKey: .floodRiskTold)
        floodRiskToldAt = try container.decodeIfPresent(Double.self, forKey: .floodRiskToldAt)
    }

    /// Whether this differs from `earlier` in more than what a restart rebuilds from the stored readings (see
    /// `SensorState.rebuild`): the newest reading's time and value, its arrival and the last accepted level. Only
    /// such a change is worth writing to `engine_state`; writing every sensor's snapshot with every reading was
    /// the largest cost per reading at 10,000 stations (a JSON text and an upsert each).
    ///
    /// Compared in place, the rebuildable fields lent `earlier`'s values for the comparison and given back after:
    /// blanking them in two copies moved three snapshots of 561 bytes for every reading.
    mutating func differsDurably(from earlier: SensorSnapshot) -> Bool {
        let own = (watermark, lastArrival, lastValue, spike.lastAccepted)
        (watermark, lastArrival, lastValue, spike.lastAccepted) =
            (earlier.watermark, earlier.lastArrival, earlier.lastValue, earlier.spike.lastAccepted)
        defer { (watermark, lastArrival, lastValue, spike.lastAccepted) = own }
        return self != earlier
    }

    /// The warning of a rule.
    subscript(rule: WarningRule) -> Hysteresis {
        switch rule {
        case .level: level
        case .rise: rise
        case .forecast: forecast
        case .rain: rain
        case .silent: silent
        case .gap: gap
        case .landslide: landslide
        case .release: release
        case .pool: pool
        }
    }
}

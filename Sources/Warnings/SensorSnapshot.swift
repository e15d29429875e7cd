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

    public init() {}

    /// The warning of a rule.
    subscript(rule: WarningRule) -> Hysteresis {
        switch rule {
        case .level: level
        case .rise: rise
        case .forecast: forecast
        case .rain: rain
        case .silent: silent
        case .gap: gap
        }
    }
}

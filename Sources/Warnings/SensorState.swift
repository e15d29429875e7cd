import Gauges

/// Everything the engine keeps for one sensor: the persisted snapshot and the windows rebuilt after a restart.
struct SensorState: Sendable {
    let key: SensorKey
    let sensor: Sensor
    var snapshot = SensorSnapshot()
    /// Level sensors: the accepted good readings of the last `levelHistoryMilliseconds`.
    var history = TimeSeries()
    /// Level sensors: the newest good reading processed, late ones included; what a restart takes as the last
    /// accepted level (`SensorState.needsSnapshot`).
    var newestGood: TimedValue?
    /// Rain sensors with thresholds: the rolling sums.
    var rain: RollingSum?
    /// Rain sensors where Article 46 can be assessed (`StationPlan.landslide`): the last 24 hours and the three days
    /// before.
    var landslide: RollingSum?

    init(plan: StationPlan, sensor: Sensor) {
        key = SensorKey(station: plan.id, sensor: sensor.kind)
        self.sensor = sensor
        if sensor.kind == .rain && !plan.rainWindows.isEmpty {
            rain = RollingSum(windowSeconds: plan.rainWindows.map(\.seconds))
        }
        if sensor.kind == .rain, let landslide = plan.landslide {
            self.landslide = RollingSum(windowSeconds: landslide.windowSeconds)
        }
    }

    /// Readings held in the windows: bounded by the window lengths, whatever has been evaluated before.
    var buffered: Int { history.count + (rain?.count ?? 0) + (landslide?.count ?? 0) }

    /// Whether a reading at `time` arriving at `arrivedAt` is late: more than twice the reporting interval, and at
    /// least 5 minutes, after its time.
    func isLate(_ time: Int64, arrivedAt: Int64) -> Bool {
        arrivedAt - time > Int64(max(2 * sensor.interval, 300)) * 1000
    }
}

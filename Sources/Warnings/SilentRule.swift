import Gauges

/// Silent gauge (rule `silent`): no reading of a sensor has arrived for `silent.limit(interval:)` seconds.
///
/// Judged on the arrival clock, so readings queued at the broker while FloodWatch was down do not look silent,
/// and only for sensors that have reported at least once. Level 1; level 2 when the station's last accepted water
/// level is at or above BĐ II (BĐ III where BĐ II is unknown), re-checked at every tick. Never comes down to 1:
/// the next reading of the sensor, whatever its quality or age, clears it.
enum SilentRule {
    /// The check of `tick(now:)`.
    /// - Parameter stationLevel: the station's last accepted water level, if it has a level sensor.
    static func check(
        now: Int64, plan: StationPlan, sensor: Sensor, snapshot: inout SensorSnapshot, stationLevel: Double?
    ) -> WarningEvent? {
        let rule = plan.rules.silent
        guard rule.enabled, let lastArrival = snapshot.lastArrival else { return nil }
        let limit = rule.limit(interval: sensor.interval)
        guard now - lastArrival >= Int64(limit) * 1000 else { return nil }
        var high: (value: Double, alarm: AlarmStep)?
        if let stationLevel, let alarm = plan.silentAlarm, stationLevel >= alarm.metres { high = (stationLevel, alarm) }
        let target = high == nil ? 1 : 2
        guard target > snapshot.silent.level,
            let step = snapshot.silent.update(target: target, settle: target, at: now, holdSeconds: 0)
        else { return nil }
        // The message names the highest official alarm level the last water level stood above (15,43 m is "trên
        // báo động III" at Nông Sơn), not the alarm that makes the warning level 2.
        let told = high.map { high in
            (high.value, plan.alarms.last { $0.level <= 3 && high.value >= $0.metres } ?? high.alarm)
        }
        let message = WarningMessages.silent(
            plan, kind: step.kind, sensor: sensor.kind, lastArrival: lastArrival, now: now, high: told)
        return WarningEvent(
            plan, sensor.kind, .silent, step, at: now, value: snapshot.lastValue, threshold: high?.alarm.metres,
            windowSeconds: limit, late: false, message: message)
    }

    /// A reading of the sensor arrived at `arrivedAt`: ends its silent warning, if any, and restarts the timer.
    static func heard(arrivedAt: Int64, plan: StationPlan, sensor: Sensor, snapshot: inout SensorSnapshot)
        -> WarningEvent?
    {
        let previous = snapshot.lastArrival
        snapshot.lastArrival = max(previous ?? arrivedAt, arrivedAt)
        guard let previous, let step = snapshot.silent.clear(at: arrivedAt) else { return nil }
        let message = WarningMessages.silentCleared(plan, sensor: sensor.kind, lastArrival: previous, now: arrivedAt)
        return WarningEvent(
            plan, sensor.kind, .silent, step, at: arrivedAt, value: snapshot.lastValue, threshold: nil,
            windowSeconds: plan.rules.silent.limit(interval: sensor.interval), late: false, message: message)
    }
}

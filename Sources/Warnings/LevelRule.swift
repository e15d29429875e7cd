/// Alarm level (rule `level`): level n at BĐ n, 4 at the highest flood on record.
///
/// Up at once on a good reading; down only when the value has been below the warning's threshold minus
/// `deadband` for `holdSeconds`, and then to the level the value is at with the deadband applied.
///
/// At a station with a flood zone (`flood_zone`), each event but a clear states the official risk level of
/// Article 45 of Decision 18/2021/QĐ-TTg for the band the water stands in, as observed.
enum LevelRule {
    static func evaluate(_ point: TimedValue, late: Bool, plan: StationPlan, state: inout SensorState) -> WarningEvent?
    {
        let rule = plan.rules.level
        guard rule.enabled, let lowest = plan.alarms.first else { return nil }
        guard
            let step = state.snapshot.level.update(
                target: plan.alarmLevel(of: point.value),
                settle: plan.alarmLevel(of: point.value, deadband: max(rule.deadband, 0)), at: point.time,
                holdSeconds: rule.holdSeconds)
        else { return nil }
        let threshold = plan.alarm(step.to) ?? lowest
        let trend = TrendLine(
            state.history, from: point.time - Int64(StationPlan.trendSeconds) * 1000, through: point.time)
        let risk = step.to > 0 ? plan.floodRisk(at: point.value) : nil
        var message = WarningMessages.level(
            plan, kind: step.kind, level: step.to, value: point.value, time: point.time, trend: trend?.slope)
        if let risk { message = WarningMessages.appending(floodRisk: risk, projected: false, to: message) }
        return WarningEvent(
            plan, .level, .level, step, at: point.time, value: point.value, threshold: threshold.metres, late: late,
            riskLevel: risk?.level, message: message)
    }
}

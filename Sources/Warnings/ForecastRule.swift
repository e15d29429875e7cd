/// Projected crossing (rule `forecast`): a straight line fitted to the good readings of the last `windowSeconds`
/// projects when the next alarm level will be reached; within `horizonSeconds`, a warning at that level.
///
/// "The next alarm level" is the lowest one above both the value and the open alarm-level warning: while the level
/// rule holds a warning at BĐ II (inside its deadband), projecting BĐ II again would only make the forecast flap
/// with every ripple, so BĐ III is projected instead. The crossing is `t + (threshold − value) / slope`, from the
/// reading's value; `projectedValue` is the line's value at `t + horizon`.
///
/// Escalates at once when a higher level is projected in time. Clears at once when the projected level has been
/// reached (the level rule now speaks for it) and nothing higher is projected in time; clears, or comes down to a
/// lower projected level, after `holdSeconds` without the projection.
enum ForecastRule {
    static func evaluate(_ point: TimedValue, late: Bool, plan: StationPlan, state: inout SensorState) -> WarningEvent?
    {
        let rule = plan.rules.forecast
        guard rule.enabled, !plan.alarms.isEmpty, rule.windowSeconds > 0 else { return nil }
        guard
            let line = TrendLine(
                state.history, from: point.time - Int64(rule.windowSeconds) * 1000, through: point.time),
            line.count >= rule.minimumReadings
        else { return nil }

        let floor = max(plan.alarmLevel(of: point.value), state.snapshot.level.level)
        var projection: (alarm: AlarmStep, crossing: Int64)?
        if line.slope > 0, let next = plan.alarms.first(where: { $0.level > floor && $0.metres > point.value }) {
            let hours = (next.metres - point.value) / line.slope
            if hours * 3600 <= Double(rule.horizonSeconds) {
                projection = (next, point.time + Int64((hours * 3_600_000).rounded()))
            }
        }
        let target = projection?.alarm.level ?? 0
        let open = state.snapshot.forecast.level
        let reached = open > 0 && floor >= open
        let step =
            reached && target <= open
            ? state.snapshot.forecast.clear(at: point.time)
            : state.snapshot.forecast.update(
                target: target, settle: target, at: point.time, holdSeconds: rule.holdSeconds)
        guard let step, let alarm = projection?.alarm ?? plan.alarm(step.from) else { return nil }

        let horizonEnd = point.time + Int64(rule.horizonSeconds) * 1000
        var message = WarningMessages.forecast(
            plan, kind: step.kind, target: alarm, crossing: projection?.crossing, reached: reached, value: point.value,
            time: point.time, metresPerHour: line.slope)
        // The risk level of the band the projected crossing enters, stated as projected.
        let risk = step.to > 0 ? plan.floodRisk(at: alarm.metres) : nil
        if step.to > 0 {
            message = WarningMessages.appending(
                floodRisk: plan.floodRiskStatement(at: alarm.metres), projected: true, to: message)
        }
        return WarningEvent(
            plan, .level, .forecast, step, at: point.time, value: point.value, threshold: alarm.metres,
            projectedTimestamp: projection?.crossing,
            projectedValue: projection.map { _ in line.value(at: horizonEnd) },
            late: late, riskLevel: risk?.level, message: message)
    }
}

import Gauges

/// Alarm level (rule `level`): level n at BĐ n, 4 at the highest flood on record.
///
/// Up at once on a good reading; down only when the value has been below the warning's threshold minus
/// `deadband` for `holdSeconds`, and then to the level the value is at with the deadband applied.
///
/// Each event but a clear ends with the official risk level of Article 45 of Decision 18/2021/QĐ-TTg for the band the
/// water stands in, as observed: at a station with a flood zone (`flood_zone`) the table's answer, which the event
/// also carries as `risk_level`, and a rise into another band within the same alarm level is told as an `updated`
/// event; at a station without one, that the level is not determined for want of the zone, as every flood warning
/// there says.
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
        else { return bandChange(point, late: late, plan: plan, state: &state) }
        let threshold = plan.alarm(step.to) ?? lowest
        let trend = TrendLine(
            state.history, from: point.time - Int64(StationPlan.trendSeconds) * 1000, through: point.time)
        let risk = step.to > 0 ? plan.floodRisk(at: point.value) : nil
        var message = WarningMessages.level(
            plan, kind: step.kind, level: step.to, value: point.value, time: point.time, trend: trend?.slope)
        if step.to > 0 {
            message = WarningMessages.appending(
                floodRisk: plan.floodRiskStatement(at: point.value), projected: false, to: message)
        }
        state.snapshot.floodRiskTold = risk.map(\.code)
        state.snapshot.floodRiskToldAt = risk == nil ? nil : point.value
        return WarningEvent(
            plan, .level, .level, step, at: point.time, value: point.value, threshold: threshold.metres, late: late,
            riskLevel: risk?.level, message: message)
    }

    /// Within one alarm level the water can cross a band of Article 45 (BĐ III + 0.3 m, BĐ III + 1.0 m), and the
    /// official risk level then changes with no new alarm level: told as an `updated` event of the level warning.
    /// Only while the water stands above where the last risk level was told, so a river hovering on a band's edge
    /// does not flip it back and forth; a fall is told with the de-escalation.
    private static func bandChange(_ point: TimedValue, late: Bool, plan: StationPlan, state: inout SensorState)
        -> WarningEvent?
    {
        let level = state.snapshot.level.level
        guard level > 0, let told = state.snapshot.floodRiskTold, let toldAt = state.snapshot.floodRiskToldAt,
            point.value > toldAt, let risk = plan.floodRisk(at: point.value), risk.code != told
        else { return nil }
        state.snapshot.floodRiskTold = risk.code
        state.snapshot.floodRiskToldAt = point.value
        let trend = TrendLine(
            state.history, from: point.time - Int64(StationPlan.trendSeconds) * 1000, through: point.time)
        let message = WarningMessages.appending(
            floodRisk: .assessed(risk), projected: false,
            to: WarningMessages.level(
                plan, kind: .updated, level: level, value: point.value, time: point.time, trend: trend?.slope))
        return WarningEvent(
            station: plan.id, sensor: .level, rule: .level, kind: .updated, level: level, timestamp: point.time,
            value: point.value, threshold: plan.alarm(level)?.metres, late: late, riskLevel: risk.level,
            area: plan.station.area, messageVI: message.vi, messageEN: message.en)
    }
}

extension RiskAssessment {
    /// What was stated, as a number for the snapshot: the level 1–5, 0 below level 1, −1 not determined.
    var code: Int {
        switch self {
        case .level(let level, _): level
        case .none: 0
        case .undetermined: -1
        }
    }
}

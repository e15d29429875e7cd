/// Rate of rise (rule `rise`): the rise over the last `windowSeconds` against one threshold per level.
///
/// The rise is the value now minus the value at `t − window`, interpolated between the good readings around that
/// time, judged to the millimetre (so 0.3 m read as 0.29999… is still 0.3). While the history does not reach back
/// to `t − window` the rule says nothing. No deadband: the rise is itself a difference, and the hold is enough to
/// keep a warning from flapping. Each event but a clear states the official flood risk level (Article 45 of Decision
/// 18/2021/QĐ-TTg) of the water it has risen to, as a level warning there would.
enum RiseRule {
    static func evaluate(_ point: TimedValue, late: Bool, plan: StationPlan, state: inout SensorState) -> WarningEvent?
    {
        let rule = plan.rules.rise
        guard rule.enabled, let lowest = rule.thresholds.first, rule.windowSeconds > 0 else { return nil }
        guard let past = state.history.value(at: point.time - Int64(rule.windowSeconds) * 1000) else { return nil }
        let rise = ((point.value - past) * 1000).rounded() / 1000
        var target = 0
        for (index, threshold) in rule.thresholds.enumerated() where rise >= threshold { target = index + 1 }
        guard
            let step = state.snapshot.rise.update(
                target: target, settle: target, at: point.time, holdSeconds: rule.holdSeconds)
        else { return nil }
        let threshold = step.to > 0 ? rule.thresholds[step.to - 1] : lowest
        var message = WarningMessages.rise(
            plan, kind: step.kind, rise: rise, windowSeconds: rule.windowSeconds, time: point.time, threshold: threshold
        )
        // A rise is a flood warning: it ends with the risk level of the water it has risen to (Article 45).
        let risk = step.to > 0 ? plan.floodRiskStatement(at: point.value) : nil
        if let risk { message = WarningMessages.appending(floodRisk: risk, projected: false, to: message) }
        return WarningEvent(
            plan, .level, .rise, step, at: point.time, value: rise, threshold: threshold,
            windowSeconds: rule.windowSeconds, late: late, riskLevel: risk?.level, message: message)
    }
}

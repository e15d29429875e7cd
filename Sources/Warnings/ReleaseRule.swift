import Gauges

/// A reservoir's release (rule `release`, on its outflow sensor): what the communes downstream must be told.
///
/// The warning's level is the highest outflow threshold reached (m³/s, local choices set in the catalogue). Whenever
/// the outflow has risen by `step` within an hour, it is told at once: raised at level 1 when no threshold is
/// reached yet, else `updated` at its level; each step is told once (the outflow must rise another `step` above
/// what was last told). It comes down after `hold` below a threshold. Events name the communes downstream.
enum ReleaseRule {
    static func evaluate(_ point: TimedValue, late: Bool, plan: StationPlan, state: inout SensorState)
        -> WarningEvent?
    {
        let rule = plan.rules.release
        guard rule.enabled, plan.station.kind == .reservoir else { return nil }
        let thresholdLevel = rule.thresholds.filter { point.value >= $0 }.count
        // The rise within the window: the outflow now against the lowest of the window.
        var lowest = point.value
        state.history.forEach(from: point.time - Int64(rule.stepWindowSeconds) * 1000, through: point.time) {
            lowest = min(lowest, $0.value)
        }
        let rise = point.value - lowest
        let told = state.snapshot.releaseTold
        let stepped =
            rise >= rule.stepCubicMetres
            && (told == nil || point.time - told!.time >= Int64(rule.stepWindowSeconds) * 1000
                || point.value >= told!.value + rule.stepCubicMetres)
        let target = max(thresholdLevel, stepped ? 1 : 0)
        let kind: WarningEventKind
        let level: Int
        if let step = state.snapshot.release.update(
            target: target, settle: thresholdLevel, at: point.time, holdSeconds: rule.holdSeconds)
        {
            kind = step.kind
            level = step.to
        } else if stepped, state.snapshot.release.level > 0 {
            kind = .updated
            level = state.snapshot.release.level
        } else {
            return nil
        }
        if stepped || kind == .raised || kind == .escalated { state.snapshot.releaseTold = point }
        if kind == .cleared { state.snapshot.releaseTold = nil }
        let threshold = level > 0 && level <= rule.thresholds.count ? rule.thresholds[level - 1] : nil
        let message = WarningMessages.release(
            plan, kind: kind, outflow: point.value, time: point.time, rise: stepped ? rise : nil,
            windowSeconds: rule.stepWindowSeconds, threshold: threshold)
        return WarningEvent(
            station: plan.id, sensor: .outflow, rule: .release, kind: kind, level: level, timestamp: point.time,
            value: point.value, threshold: threshold, windowSeconds: stepped ? rule.stepWindowSeconds : nil,
            // The commune the reservoir stands in, as every rule's events carry (docs/storage.md#warnings): the
            // message names the communes downstream.
            late: late, area: plan.station.area, messageVI: message.vi, messageEN: message.en)
    }
}

/// A reservoir's level against its normal water level (rule `pool`): level 1 within `margin` below it, level 2 at or
/// above it; down after `hold`.
enum PoolRule {
    static func evaluate(_ point: TimedValue, late: Bool, plan: StationPlan, state: inout SensorState)
        -> WarningEvent?
    {
        let rule = plan.rules.pool
        guard rule.enabled, let normal = plan.normalLevel else { return nil }
        let target = point.value >= normal ? 2 : (point.value >= normal - rule.marginMetres ? 1 : 0)
        guard
            let step = state.snapshot.pool.update(
                target: target, settle: target, at: point.time, holdSeconds: rule.holdSeconds)
        else { return nil }
        let message = WarningMessages.pool(plan, kind: step.kind, level: point.value, normal: normal, time: point.time)
        return WarningEvent(
            plan, .level, .pool, step, at: point.time, value: point.value,
            threshold: step.to == 1 ? normal - rule.marginMetres : normal, late: late, message: message)
    }
}

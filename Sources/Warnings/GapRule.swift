import Gauges

/// Readings lost upstream (rule `gap`): a gauge's `seq` counter skipped numbers, so readings were lost on its link
/// or in the broker before they reached FloodWatch.
///
/// One warning per sensor while it has open gaps, level 1: raised by the first gap found (at the time of the
/// reading after it), cleared when the last open gap is filled by a backlog (at arrival). Later gaps while the
/// warning is up add nothing; its state is kept in the sensor's snapshot like every other rule's.
enum GapRule {
    static func judge(_ change: GapChange, at now: Int64, plan: StationPlan, snapshot: inout SensorSnapshot)
        -> WarningEvent?
    {
        let step: Hysteresis.Step
        let time: Int64
        switch change {
        case .opened(let gap):
            guard let raised = snapshot.gap.update(target: 1, settle: 1, at: gap.before, holdSeconds: 0) else {
                return nil
            }
            (step, time) = (raised, gap.before)
        case .filled(_, let stillOpen):
            guard stillOpen == 0, let cleared = snapshot.gap.clear(at: now) else { return nil }
            (step, time) = (cleared, now)
        }
        let gap = change.gap
        let message = WarningMessages.gap(
            plan, kind: step.kind, sensor: gap.sensor, firstSeq: gap.firstSeq, lastSeq: gap.lastSeq, after: gap.after,
            before: gap.before)
        return WarningEvent(
            plan, gap.sensor, .gap, step, at: time, value: Double(gap.missing), threshold: nil, late: false,
            message: message)
    }
}

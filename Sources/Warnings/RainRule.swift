/// Rain accumulation (rule `rain`): rolling sums over the windows with thresholds (defaults: 3 h and 24 h), each
/// ending at the reading's time; the warning's level is the highest over the windows.
///
/// The event names the deciding window: the one giving the warning's level, and among several the one furthest
/// past its threshold (ties: the shortest). No deadband; the hold keeps a warning from flapping as the windows slide.
///
/// Each event but a clear states the official risk level of flash floods and landslides (Article 46 of Decision
/// 18/2021/QĐ-TTg) in the gauge's commune, from its 24-hour rain and the days it had rained before, as the
/// `landslide` rule judges it; whatever window decided the warning, the Article grades only those.
enum RainRule {
    static func evaluate(at time: Int64, late: Bool, plan: StationPlan, state: inout SensorState) -> WarningEvent? {
        guard let sums = state.rain, !plan.rainWindows.isEmpty else { return nil }
        var best: (index: Int, level: Int, ratio: Double)?
        for (index, window) in plan.rainWindows.enumerated() {
            let sum = sums.sum(index)
            let level = window.level(of: sum)
            guard level > 0 else { continue }
            let ratio = Double(sum) / Double(max(window.units[level - 1], 1))
            if let current = best, level < current.level || (level == current.level && ratio <= current.ratio) {
                continue
            }
            best = (index, level, ratio)
        }
        guard
            let step = state.snapshot.rain.update(
                target: best?.level ?? 0, settle: best?.level ?? 0, at: time, holdSeconds: plan.rules.rain.holdSeconds)
        else { return nil }

        let index: Int
        if let best, step.to > 0 {
            index = best.index
        } else {
            // Cleared: the window that decided the warning, with its first threshold.
            index = plan.rainWindows.firstIndex { $0.seconds == state.snapshot.rainWindowSeconds } ?? 0
        }
        let window = plan.rainWindows[index]
        state.snapshot.rainWindowSeconds = step.to > 0 ? window.seconds : nil
        let threshold = window.thresholds[max(step.to, 1) - 1]
        let sum = Double(sums.sum(index)) / 1000
        var message = WarningMessages.rain(
            plan, kind: step.kind, sum: sum, windowSeconds: window.seconds, time: time, threshold: threshold)
        let risk = step.to > 0 ? plan.landslideRiskStatement(state.landslide) : nil
        if let risk { message = WarningMessages.appending(landslideRisk: risk, to: message) }
        return WarningEvent(
            plan, .rain, .rain, step, at: time, value: sum, threshold: threshold, windowSeconds: window.seconds,
            late: late, riskLevel: risk?.level, message: message)
    }
}

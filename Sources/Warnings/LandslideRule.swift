import Gauges

/// Flash floods and landslides from rain (rule `landslide`): Article 46 of Decision 18/2021/QĐ-TTg, at a rain gauge
/// whose area (commune) has a landslide risk zone.
///
/// The rain of the last 24 hours, and the days it had already rained before (back-to-back 24-hour windows right
/// before the current one, each with at least `rain_day_mm`), in the area's risk zone of the province's zone, give
/// the official risk level by the Article's table (`RiskTables.landslide`). The warning's own level is the 24-hour
/// rain tier of the Article's rows (1 from 100 mm, 2 above 200 mm, 3 above 400 mm), raised only after at least one
/// day of prior rain (every row of the Article asks for it); it comes down a tier after `hold` below it, and clears
/// only after the rain has stayed below the lowest tier for `hold` (default 24 h: the slopes stay saturated after
/// the rain stops). Each event states the risk level the table gives at that moment, or that the Decision's text
/// found does not decide it.
enum LandslideRule {
    static func evaluate(at time: Int64, late: Bool, plan: StationPlan, state: inout SensorState) -> WarningEvent? {
        guard let landslide = plan.landslide, landslide.settings.enabled, let sums = state.landslide else { return nil }
        let (rain, priorDays, risk) = landslide.assess(sums)
        let target = priorDays > 0 ? landslide.tier(of: rain) : 0
        // Down a tier after `hold` below it, as every rule; but to 0 only once the rain has stayed below the lowest
        // tier for `hold` itself, however long it spent in the tiers between.
        let hold = landslide.settings.holdSeconds
        if target == 0 {
            state.snapshot.landslideDrySince = state.snapshot.landslideDrySince ?? time
        } else {
            state.snapshot.landslideDrySince = nil
        }
        let dry = state.snapshot.landslideDrySince.map { time - $0 >= Int64(hold) * 1000 } ?? false
        let settle = target > 0 ? target : (dry ? 0 : 1)
        guard
            let step = state.snapshot.landslide.update(
                target: target, settle: settle, at: time, holdSeconds: settle == 0 ? 0 : hold)
        else { return nil }
        let assessment = step.to > 0 ? risk : .none
        let tier = landslide.tiers[max(step.to, 1) - 1]
        let message = WarningMessages.landslide(
            plan, landslide.area, kind: step.kind, rain: rain, priorDays: priorDays, time: time,
            assessment: assessment)
        return WarningEvent(
            plan, .rain, .landslide, step, at: time, value: rain, threshold: tier.minimum, windowSeconds: 86_400,
            late: late, riskLevel: assessment.level, area: landslide.area.id, message: message)
    }

    /// Consecutive 24-hour windows right before the current one with at least `dayMillimetres` of rain: 0 to 3 (3
    /// stands for "more than 2 days", all the Article distinguishes).
    static func priorRainDays(_ sums: RollingSum, dayMillimetres: Double) -> Int {
        let threshold = RollingSum.units(dayMillimetres)
        var days = 0
        for window in 1..<4 {
            guard sums.sum(window) - sums.sum(window - 1) >= threshold else { break }
            days += 1
        }
        return days
    }
}

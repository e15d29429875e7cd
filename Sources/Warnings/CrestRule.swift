import Gauges

/// The crest of a flood (told on the `level` warning): once the water has peaked at or above BĐ I and fallen
/// `crest_drop` below the peak, an `updated` event of the level warning states the crest and its time ("đỉnh lũ
/// 4,07 m lúc 21:00 ngày 28/10"), as bulletins always do. A rise above a crest already told starts a new peak, so a
/// second flood wave gets its own crest; nothing is told while no level warning is up. It ends with the flood risk
/// level the warning states.
enum CrestRule {
    static func evaluate(_ point: TimedValue, late: Bool, plan: StationPlan, state: inout SensorState)
        -> WarningEvent?
    {
        let rule = plan.rules.level
        guard rule.enabled, let lowest = plan.alarms.first, state.snapshot.level.level > 0 else {
            state.snapshot.peak = nil
            state.snapshot.peakTold = false
            return nil
        }
        guard let peak = state.snapshot.peak, point.value <= peak.value else {
            state.snapshot.peak = point
            state.snapshot.peakTold = false
            return nil
        }
        // Centimetres, as levels are read: a drop of exactly `crest_drop` counts.
        let drop = NumberFormat.centimetres(peak.value) - NumberFormat.centimetres(point.value)
        guard !state.snapshot.peakTold, peak.value >= lowest.metres,
            drop >= NumberFormat.centimetres(rule.crestDrop)
        else { return nil }
        state.snapshot.peakTold = true
        let level = state.snapshot.level.level
        // The risk line is the one the level warning states: Article 45 at the water its last event told, not the
        // water now. The risk level comes down with the alarm level (LevelRule), so a crest neither lowers it on its
        // own nor states one that its `risk_level` and the page would contradict.
        let risk = plan.floodRiskStatement(at: state.snapshot.floodRiskToldAt ?? point.value)
        let message = WarningMessages.appending(
            floodRisk: risk, projected: false, to: WarningMessages.crest(plan, crest: peak, now: point))
        return WarningEvent(
            station: plan.id, sensor: .level, rule: .level, kind: .updated, level: level, timestamp: point.time,
            value: peak.value, threshold: plan.alarm(level)?.metres, late: late,
            // The risk level the warning states stays what it last said: the warning's latest event is read for it.
            riskLevel: state.snapshot.floodRiskTold.flatMap { $0 > 0 ? $0 : nil }, area: plan.station.area,
            messageVI: message.vi, messageEN: message.en)
    }
}

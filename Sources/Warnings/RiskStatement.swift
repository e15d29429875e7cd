import Gauges

/// What a warning's last line says of the official risk level (Decision 18/2021/QĐ-TTg): the answer of the
/// Decision's table, or which input of the catalogue the table would need and lacks.
///
/// Kept apart from `RiskAssessment` (the table's own answer) because the two "not determined" have different
/// remedies: `.undetermined` means the Decision's text at hand does not decide the case, whereas a missing zone is a
/// gap in our catalogue that a hydrologist can fill. A message must not send its reader to the Decision for the
/// second.
enum RiskStatement: Sendable, Hashable {
    /// The table's answer for the case.
    case assessed(RiskAssessment)
    /// Article 45: the station has no `flood_zone`.
    case noFloodZone
    /// Article 46: the rain gauge stands in no area (commune) of the catalogue.
    case noArea
    /// Article 46: the gauge's area has no `landslide_risk` (no risk map gives it).
    case noLandslideRisk(Area)
    /// Article 46: the catalogue has no `risk_zone` (the province's zone, Appendix XII).
    case noProvinceZone

    /// The level stated, 1–5; nil when the line says "below level 1" or "not determined".
    var level: Int? {
        if case .assessed(let assessment) = self { assessment.level } else { nil }
    }
}

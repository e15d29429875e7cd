import ArgumentParser

/// The storms the simulator can play (`--storm`): how long one lasts, when its rain bands fall and how strong it is.
///
/// Strength is the rain of the wettest 24 hours at a station of rain factor 1 (`StationProfile.rainFactor`); each
/// gauge gets exactly its factor times that in its own wettest 24 hours. The factors of Bắc Trà My's gauges are
/// their ratios to Trà My town in the 24 hours to 3 Dec 2022 (see `StationProfile`), so rain factor 1 is "Trà My".
enum StormKind: String, Sendable, Hashable, CaseIterable, ExpressibleByArgument {
    /// A typhoon crossing central Vietnam: an outer rain band before landfall, the heaviest rain with the core,
    /// trailing rain where the remnant meets the north-east monsoon; 48 hours, the rivers receding at the end.
    /// Its strength is drawn from the seed between 230 and 300 mm: across the seeds, Trà My's wettest 24 hours
    /// span the district's recent events (229.8 mm on 15 Nov 2023, 301 mm on 5–6 Nov 2020, 313.3 mm to
    /// 3 Dec 2022) and Trà Kót's stay below its 444 mm of 2022. Plausible, not calibrated on one typhoon.
    case typhoon
    /// Bắc Trà My's rain of late November – early December 2022: three days of rain building up, then the day
    /// whose 24-hour totals the bulletins reported (to 3 Dec 2022: Trà My town 313.3 mm, Trà Dương 386.2 mm,
    /// Trà Kót 444 mm), then a wet tail and a dry half day; 120 hours. The peak day's totals at those three gauges
    /// are the recorded ones; the other gauges' and the days before are plausible, not recorded (the landslide
    /// rule counts those days: each brings well over 1 mm).
    case district2022 = "district-2022"

    /// Length of one storm, dry tail included: long enough for the lowest station to recede before the next.
    var cycleHours: Double {
        switch self {
        case .typhoon: 48
        case .district2022: 120
        }
    }

    /// Rain in the wettest 24 hours at rain factor 1 (mm), drawn from `draw` in `0 ..< 1` where the storm varies.
    func wettest24Hours(draw: Double) -> Double {
        switch self {
        case .typhoon: 230 + draw * 70
        // Trà My town's recorded total: every gauge of factor f gets f × 313.3 mm.
        case .district2022: 313.3
        }
    }

    /// The rain bands of the storm, before the seed places them.
    var bands: [BandTemplate] {
        switch self {
        case .typhoon:
            return [
                BandTemplate(
                    centre: 9, centreJitter: 1.5, spread: 2.5, spreadJitter: 0.5, weight: 0.4, weightJitter: 0.1),
                BandTemplate(centre: 16, centreJitter: 1.5, spread: 3.5, spreadJitter: 0.5, weight: 1, weightJitter: 0),
                BandTemplate(centre: 25, centreJitter: 2, spread: 4, spreadJitter: 1, weight: 0.45, weightJitter: 0.15),
            ]
        case .district2022:
            // One band a day before the peak day, growing (at Trà My about 15 mm the first day, 20–30 the second,
            // 30–40 the third), then the peak day's two bands (the wettest 24 hours end near storm hour 96: 3 Dec
            // 07:00 when the storm starts at 29 Nov 07:00), then a tail of showers.
            return [
                BandTemplate(centre: 11, centreJitter: 2, spread: 6, spreadJitter: 1, weight: 0.05, weightJitter: 0.01),
                BandTemplate(centre: 35, centreJitter: 2, spread: 6, spreadJitter: 1, weight: 0.09, weightJitter: 0.02),
                BandTemplate(centre: 59, centreJitter: 2, spread: 5, spreadJitter: 1, weight: 0.15, weightJitter: 0.03),
                BandTemplate(
                    centre: 75.5, centreJitter: 1.5, spread: 3, spreadJitter: 0.5, weight: 0.5, weightJitter: 0.1),
                BandTemplate(
                    centre: 83.5, centreJitter: 1.5, spread: 3.5, spreadJitter: 0.5, weight: 1, weightJitter: 0),
                BandTemplate(
                    centre: 96.5, centreJitter: 2, spread: 4, spreadJitter: 1, weight: 0.12, weightJitter: 0.03),
            ]
        }
    }

    /// A rain band before the seed places it: its centre and spread in storm hours and its weight relative to the
    /// strongest band, each with how far (±) the seed may move it.
    struct BandTemplate: Sendable, Hashable {
        var centre: Double
        var centreJitter: Double
        var spread: Double
        var spreadJitter: Double
        var weight: Double
        var weightJitter: Double
    }

    /// One line for `--help`.
    var summary: String {
        switch self {
        case .typhoon: "a typhoon, 48 h, strength drawn from the seed"
        case .district2022: "Bắc Trà My, late Nov – early Dec 2022, 120 h, the recorded 24 h totals"
        }
    }
}

/// The newest stored reading with a counter of a sensor: what an in-order reading is compared with.
struct SeriesTail: Sendable, Hashable {
    var timestamp: Int64
    var seq: Int64
}

/// Each sensor's `SeriesTail` by its series number: gap tracking's shortcut for in-order readings. A sensor not in
/// it has its tail looked up (`loadTails`); after readings were stored without gap tracking, all are forgotten.
typealias SeriesTails = BySeries<SeriesTail>

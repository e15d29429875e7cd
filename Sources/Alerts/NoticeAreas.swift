import Gauges
import Warnings

extension Notice {
    /// The communes (catalogue `areas:`) a notice concerns: those of its event (``WarningEvent/areas(in:)``).
    ///
    /// Empty for a notice about the gauges themselves (silent gauges, readings lost upstream, many silent gauges
    /// grouped): those are for the staff who keep the network running, not for the people of a commune.
    public func areas(in catalogue: StationCatalogue) -> [String] {
        guard !isAboutGauges, let event = event?.event else { return [] }
        return event.areas(in: catalogue)
    }

    /// Whether the notice is about the gauge network rather than a hazard: a silent gauge, readings lost upstream,
    /// or many silent gauges grouped.
    public var isAboutGauges: Bool {
        if kind == .grouped { return true }
        guard let rule = event?.event.rule else { return false }
        return rule.isAboutGauges
    }
}

extension WarningRule {
    /// `silent` and `gap`: faults of the gauge network, not hazards.
    public var isAboutGauges: Bool { self == .silent || self == .gap }
}

extension WarningEvent {
    /// The communes an event concerns, each once, in this order: the commune the event names (a flash-flood and
    /// landslide warning), the commune its station stands in, and for a reservoir the communes downstream that
    /// its releases reach. A commune's chairman wants exactly these, whatever station raised them. Empty for a
    /// station the catalogue places in no commune.
    public func areas(in catalogue: StationCatalogue) -> [String] {
        guard !rule.isAboutGauges else { return [] }
        var result: [String] = []
        func add(_ id: String?) {
            if let id, !result.contains(id) { result.append(id) }
        }
        add(area)
        if let station = catalogue[station] {
            add(station.area)
            for id in station.reservoir?.downstream ?? [] { add(id) }
        }
        return result
    }
}

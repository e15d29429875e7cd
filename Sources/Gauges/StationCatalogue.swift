/// All stations FloodWatch accepts readings from. Readings from any other station are rejected.
public struct StationCatalogue: Sendable {
    /// The stations in catalogue order.
    public let stations: [Station]
    private let byID: [String: Int]

    /// - Precondition: ids are unique; the catalogue loader reports duplicates with their line.
    public init(stations: [Station]) {
        self.stations = stations
        var byID: [String: Int] = [:]
        for (index, station) in stations.enumerated() {
            precondition(byID[station.id] == nil, "duplicate station id \(station.id)")
            byID[station.id] = index
        }
        self.byID = byID
    }

    public subscript(id: String) -> Station? {
        byID[id].map { stations[$0] }
    }
}

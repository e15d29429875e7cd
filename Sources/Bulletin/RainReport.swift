import Gauges
import Warnings

/// A rain gauge in the bulletin: the rain of the last 24, 6 and 3 hours to T, and the commune it stands in.
public struct RainReport: Sendable, Hashable {
    /// The rain of one window ending at T.
    public struct Total: Sendable, Hashable {
        public var hours: Int
        public var millimetres: Double
        /// How many readings it adds up.
        public var readings: Int

        public init(hours: Int, millimetres: Double, readings: Int) {
            self.hours = hours
            self.millimetres = millimetres
            self.readings = readings
        }
    }

    /// The windows, longest first: 24 h for the official tiers (Decision 18/2021/QĐ-TTg, Art. 46), 6 h as the national
    /// centre's flash-flood notices give it, 3 h for the intensity warnings.
    public static let windowHours = [24, 6, 3]

    public var station: String
    public var name: String
    /// The commune (catalogue `areas:`) the gauge stands in: its id and "xã Trà My" / "Trà My commune".
    public var area: String?
    public var areaName: Phrase?
    /// One per `windowHours`, in that order.
    public var totals: [Total]
    /// The latest good reading at or before T.
    public var latest: Observation?
    public var status: ReadingStatus
    /// "Trà My (xã Trà My): 24 giờ qua 313,3 mm, 6 giờ qua 120,0 mm, 3 giờ qua 60,0 mm".
    public var sentence: Phrase

    public init(station: Station, area: Area?, totals: [Total], latest: Observation?, at time: Int64) {
        self.station = station.id
        name = station.name
        self.area = area?.id
        areaName = area.map(Self.name)
        self.totals = totals
        self.latest = latest
        status = ReadingStatus(latest: latest, at: time, station: station, sensor: .rain)
        let reference = BulletinTime(time)
        let (place, status) = (station.name + (areaName.map { " (" + $0.vi + ")" } ?? ""), status)
        let placeEN = station.name + (areaName.map { " (" + $0.en + ")" } ?? "")
        let readSomething = totals.contains { $0.readings > 0 }
        sentence = Phrase { language in
            var text = (language == .vietnamese ? place : placeEN) + ": "
            if readSomething {
                text += totals.enumerated().map { index, total in
                    let amount = NumberFormat.millimetres(total.millimetres, language) + " mm"
                    switch language {
                    case .vietnamese: return String(total.hours) + " giờ qua " + amount
                    case .english:
                        return amount + " in " + (index == 0 ? "the last " : "") + String(total.hours) + " h"
                    }
                }.joined(separator: ", ")
                if status != .current { text += "; " }
            }
            if status != .current {
                text += ReadingStatus.missing(since: latest?.time, reference: reference)[language]
            }
            return text
        }
    }

    /// "xã Trà My" / "Trà My commune".
    static func name(_ area: Area) -> Phrase {
        let english: String
        switch area.kind {
        case .commune: english = area.name + " commune"
        case .ward: english = area.name + " ward"
        case .townlet: english = area.name + " township"
        }
        return Phrase(vi: area.fullName, en: english)
    }
}

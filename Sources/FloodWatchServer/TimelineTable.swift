import Foundation
import Gauges
import Warnings

/// The warning timeline as a plain-text table in local time (UTC+7), for `floodwatch replay`.
public struct TimelineTable {
    public enum Language: String, CaseIterable, Sendable {
        case vi
        case en
        case both
    }

    let catalogue: StationCatalogue
    let language: Language

    public init(catalogue: StationCatalogue, language: Language) {
        self.catalogue = catalogue
        self.language = language
    }

    public func render(_ events: [WarningEvent]) -> String {
        guard !events.isEmpty else { return "No warning events." }
        let header = ["Time (UTC+7)", "Station", "Sensor", "Rule", "Event", "Level", "Value", "Message"]
        var rows: [[String]] = []
        for event in events {
            let messages: [String] =
                switch language {
                case .vi: [event.messageVI]
                case .en: [event.messageEN]
                case .both: [event.messageVI, event.messageEN]
                }
            rows.append([
                Self.localTime(event.timestamp) + (event.late ? " late" : ""), event.station, event.sensor.rawValue,
                event.rule.rawValue, event.kind.rawValue, String(event.level), value(event), messages[0],
            ])
            for extra in messages.dropFirst() {
                rows.append(["", "", "", "", "", "", "", extra])
            }
        }
        // Every column but the last (the message) is padded to its widest cell.
        let widths = (0..<header.count - 1).map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.dropLast().enumerated().map { column, cell in
                cell + String(repeating: " ", count: widths[column] - cell.count)
            }
            return (padded + [cells.last ?? ""]).joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    private func value(_ event: WarningEvent) -> String {
        guard let value = event.value else { return "" }
        let unit =
            switch event.rule {
            case .rain, .landslide: "mm"
            case .release: "m³/s"
            case .silent: event.sensor.unit
            default: "m"
            }
        return String(format: "%.2f", value) + " " + unit
    }

    /// `2020-10-28 21:00`.
    static func localTime(_ milliseconds: Int64) -> String {
        let text = UnixTime.rfc3339(milliseconds - milliseconds % 60_000, offsetSeconds: UnixTime.vietnamOffsetSeconds)
        return String(text.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}

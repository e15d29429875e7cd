import Gauges

/// Series numbers by a reading's catalogue index (`DecodedReading.catalogueIndex`): one array read where a
/// dictionary keyed by station text took a hash and three cache misses a reading (at 10,000 stations, the series
/// lookup was 2–3 % of a drain's samples).
///
/// Each entry keeps the station and sensor it was found for, and a lookup checks them: a reading decoded by
/// another catalogue (an edited one, a test's) may carry the same index for another sensor. Comparing a station's
/// text from the catalogue that filled the entry costs no more than comparing two words. Only numbers committed
/// before the transaction are entered, so a transaction that fails leaves nothing wrong here.
struct CatalogueSeries: Sendable {
    private struct Entry: Sendable {
        var station: String
        var sensor: SensorKind
        var series: Int64
    }

    /// Indices above this are not kept (a catalogue of a million sensors and more): they take the dictionary.
    static let maxIndex = 1 << 22

    private var entries: [Entry?] = []

    /// This table, leaving an empty one: taken out of its lock for a transaction without copying it.
    mutating func take() -> CatalogueSeries {
        var taken = CatalogueSeries()
        swap(&self, &taken)
        return taken
    }

    func series(at index: Int, station: String, sensor: SensorKind) -> Int64? {
        guard index >= 0, index < entries.count, let entry = entries[index], entry.sensor == sensor,
            entry.station == station
        else { return nil }
        return entry.series
    }

    mutating func remember(_ series: Int64, at index: Int, station: String, sensor: SensorKind) {
        guard index >= 0, index < Self.maxIndex else { return }
        if index >= entries.count {
            entries.append(contentsOf: repeatElement(nil, count: max(index + 1, 2 * entries.count) - entries.count))
        }
        entries[index] = Entry(station: station, sensor: sensor, series: series)
    }
}

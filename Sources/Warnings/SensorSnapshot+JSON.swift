/// The JSON of a snapshot as `engine_state.state` keeps it, written by hand.
///
/// The keys in the order `JSONEncoder` with `.sortedKeys` writes them (numbers as Swift prints them), read back with
/// `JSONDecoder`. Absent optionals are left out, and so are the members a new snapshot has (a rule's state at level 0
/// without timers, no spike filter value, `peakTold` false), which `init(from:)` reads back as such: the state of a
/// sensor that had raised one warning took about 400 bytes, most of them `{"level":0}` eight times over.
/// Written by hand because it is written inside every ingest transaction for each sensor the batch touched: `perf`
/// on a drain from 10,000 stations put 16 % of the process's time in `JSONEncoder` for these few numbers.
extension SensorSnapshot {
    public var json: String {
        // Appended into one string with room for the whole text: built from a string per part, each with its own
        // allocation, the JSON of a snapshot took about 5 µs (3 % of the samples of the 10,000-station sweep point,
        // where 5,000 gauges raise a warning and so write their state).
        var text = "{"
        text.reserveCapacity(768)
        var first = true
        /// Starts the member `name`: its key, after a comma unless it is the first.
        func member(_ name: String) {
            text += first ? "\"" : ",\""
            text += name
            text += "\":"
            first = false
        }
        /// A rule's state, unless it is that of a new snapshot.
        func rule(_ name: String, _ state: Hysteresis) {
            guard state != Hysteresis() else { return }
            member(name)
            state.appendJSON(to: &text)
        }
        if let floodRiskTold {
            member("floodRiskTold")
            text += "\(floodRiskTold)"
        }
        if let floodRiskToldAt {
            member("floodRiskToldAt")
            Self.append(floodRiskToldAt, to: &text)
        }
        rule("forecast", forecast)
        rule("gap", gap)
        rule("landslide", landslide)
        if let landslideDrySince {
            member("landslideDrySince")
            text += "\(landslideDrySince)"
        }
        if let lastArrival {
            member("lastArrival")
            text += "\(lastArrival)"
        }
        if let lastValue {
            member("lastValue")
            Self.append(lastValue, to: &text)
        }
        rule("level", level)
        if let peak {
            member("peak")
            peak.appendJSON(to: &text)
        }
        if peakTold {
            member("peakTold")
            text += "true"
        }
        rule("pool", pool)
        rule("rain", rain)
        if let rainWindowSeconds {
            member("rainWindowSeconds")
            text += "\(rainWindowSeconds)"
        }
        rule("release", release)
        if let releaseTold {
            member("releaseTold")
            releaseTold.appendJSON(to: &text)
        }
        rule("rise", rise)
        rule("silent", silent)
        if spike != SpikeFilter() {
            member("spike")
            spike.appendJSON(to: &text)
        }
        if let watermark {
            member("watermark")
            text += "\(watermark)"
        }
        text += "}"
        return text
    }

    /// A finite double as JSON; readings are checked finite before they reach the engine, and anything else
    /// becomes null rather than invalid JSON.
    static func append(_ value: Double, to text: inout String) {
        if value.isFinite { value.write(to: &text) } else { text += "null" }
    }
}

extension Hysteresis {
    func appendJSON(to text: inout String) {
        text += "{"
        if let belowSince { text += #""belowSince":\#(belowSince),"# }
        text += #""level":\#(level)"#
        if let raisedAt { text += #","raisedAt":\#(raisedAt)"# }
        text += "}"
    }
}

extension SpikeFilter {
    func appendJSON(to text: inout String) {
        text += "{"
        if let candidate {
            text += #""candidate":"#
            candidate.appendJSON(to: &text)
        }
        if let lastAccepted {
            text += candidate == nil ? #""lastAccepted":"# : #","lastAccepted":"#
            lastAccepted.appendJSON(to: &text)
        }
        text += "}"
    }
}

extension TimedValue {
    func appendJSON(to text: inout String) {
        text += #"{"time":\#(time),"value":"#
        SensorSnapshot.append(value, to: &text)
        text += "}"
    }
}

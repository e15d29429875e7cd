/// The JSON of a snapshot as `engine_state.state` keeps it, written by hand.
///
/// The keys in the order `JSONEncoder` with `.sortedKeys` writes them (absent optionals left out, numbers as Swift
/// prints them), read back with `JSONDecoder`. Written by hand because it is written inside every ingest transaction
/// for each sensor the batch touched: `perf` on a drain from 10,000 stations put 16 % of the process's time in
/// `JSONEncoder` for these few numbers.
extension SensorSnapshot {
    public var json: String {
        // Appended into one string with room for the whole text: built from a string per part, each with its own
        // allocation, the JSON of a snapshot took about 5 µs (3 % of the samples of the 10,000-station sweep point,
        // where 5,000 gauges raise a warning and so write their state).
        var text = ""
        text.reserveCapacity(768)
        text += "{"
        if let floodRiskTold { text += #""floodRiskTold":\#(floodRiskTold),"# }
        if let floodRiskToldAt {
            text += #""floodRiskToldAt":"#
            Self.append(floodRiskToldAt, to: &text)
            text += ","
        }
        text += #""forecast":"#
        forecast.appendJSON(to: &text)
        text += #","gap":"#
        gap.appendJSON(to: &text)
        text += #","landslide":"#
        landslide.appendJSON(to: &text)
        if let landslideDrySince { text += #","landslideDrySince":\#(landslideDrySince)"# }
        if let lastArrival { text += #","lastArrival":\#(lastArrival)"# }
        if let lastValue {
            text += #","lastValue":"#
            Self.append(lastValue, to: &text)
        }
        text += #","level":"#
        level.appendJSON(to: &text)
        if let peak {
            text += #","peak":"#
            peak.appendJSON(to: &text)
        }
        text += #","peakTold":\#(peakTold)"#
        text += #","pool":"#
        pool.appendJSON(to: &text)
        text += #","rain":"#
        rain.appendJSON(to: &text)
        if let rainWindowSeconds { text += #","rainWindowSeconds":\#(rainWindowSeconds)"# }
        text += #","release":"#
        release.appendJSON(to: &text)
        if let releaseTold {
            text += #","releaseTold":"#
            releaseTold.appendJSON(to: &text)
        }
        text += #","rise":"#
        rise.appendJSON(to: &text)
        text += #","silent":"#
        silent.appendJSON(to: &text)
        text += #","spike":"#
        spike.appendJSON(to: &text)
        if let watermark { text += #","watermark":\#(watermark)"# }
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

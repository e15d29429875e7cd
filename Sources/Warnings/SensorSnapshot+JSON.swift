/// The JSON of a snapshot as `engine_state.state` keeps it, written by hand.
///
/// The same text `JSONEncoder` with `.sortedKeys` writes (absent optionals left out), and read back with
/// `JSONDecoder`. Written by hand because it is written inside every ingest transaction for each sensor the batch
/// touched: `perf` on a drain from 10,000 stations put 16 % of the process's time in `JSONEncoder` for these few
/// numbers.
extension SensorSnapshot {
    public var json: String {
        var text = "{"
        if let floodRiskTold { text += #""floodRiskTold":\#(floodRiskTold),"# }
        if let floodRiskToldAt { text += #""floodRiskToldAt":"# + Self.number(floodRiskToldAt) + "," }
        text += #""forecast":"# + forecast.json
        text += #","gap":"# + gap.json
        text += #","landslide":"# + landslide.json
        if let landslideDrySince { text += #","landslideDrySince":\#(landslideDrySince)"# }
        if let lastArrival { text += #","lastArrival":\#(lastArrival)"# }
        if let lastValue { text += #","lastValue":"# + Self.number(lastValue) }
        text += #","level":"# + level.json
        if let peak { text += #","peak":"# + peak.json }
        text += #","peakTold":\#(peakTold)"#
        text += #","pool":"# + pool.json
        text += #","rain":"# + rain.json
        if let rainWindowSeconds { text += #","rainWindowSeconds":\#(rainWindowSeconds)"# }
        text += #","release":"# + release.json
        if let releaseTold { text += #","releaseTold":"# + releaseTold.json }
        text += #","rise":"# + rise.json
        text += #","silent":"# + silent.json
        text += #","spike":"# + spike.json
        if let watermark { text += #","watermark":\#(watermark)"# }
        return text + "}"
    }

    /// A finite double as JSON; readings are checked finite before they reach the engine, and anything else
    /// becomes null rather than invalid JSON.
    static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }
}

extension Hysteresis {
    var json: String {
        var text = "{"
        if let belowSince { text += #""belowSince":\#(belowSince),"# }
        text += #""level":\#(level)"#
        if let raisedAt { text += #","raisedAt":\#(raisedAt)"# }
        return text + "}"
    }
}

extension SpikeFilter {
    var json: String {
        let parts = [
            candidate.map { #""candidate":"# + $0.json },
            lastAccepted.map { #""lastAccepted":"# + $0.json },
        ].compactMap { $0 }
        return "{" + parts.joined(separator: ",") + "}"
    }
}

extension TimedValue {
    var json: String {
        #"{"time":\#(time),"value":"# + SensorSnapshot.number(value) + "}"
    }
}

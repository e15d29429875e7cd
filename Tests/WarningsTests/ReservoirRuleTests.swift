import Gauges
import Testing
import Warnings

/// Sông Tranh 2's release and level (rules `release` and `pool`), replayed from the figures of 21 November 2022:
/// the reservoir at 172.3 m, turbines 106 m³/s, then spillway releases of 200–1,500 m³/s from 17:00 to hold +173 m.
@Suite("Reservoir rules")
struct ReservoirRuleTests {
    static func catalogue(_ configure: (inout StationRules) -> Void = { _ in }) -> StationCatalogue {
        var rules = StationRules()
        rules.release.thresholds = [500, 1000, 2000]
        rules.rise.enabled = false
        rules.forecast.enabled = false
        rules.silent.enabled = false
        configure(&rules)
        let reservoir = Station(
            id: "song-tranh-2", name: "Sông Tranh 2", river: "Tranh", latitude: 15.33, longitude: 108.16,
            kind: .reservoir, reservoir: Reservoir(normalLevel: 175.0, downstream: ["tra-doc", "tra-tan"]),
            area: "tra-doc",
            sensors: [
                Sensor(kind: .level, interval: 3600, range: 100...200),
                Sensor(kind: .outflow, interval: 3600, range: 0...20000),
            ],
            rules: rules)
        return StationCatalogue(
            stations: [reservoir],
            areas: [
                Area(id: "tra-doc", name: "Trà Đốc", kind: .commune),
                Area(id: "tra-tan", name: "Trà Tân", kind: .commune),
            ])
    }

    static let elevenAM = at("2022-11-21T11:00:00+07:00")

    /// Hourly outflow from 11:00: turbines only until 16:00, then the spillway opening step by step.
    static let outflow: [Double] = [106, 106, 106, 106, 106, 106, 400, 700, 1000, 1300, 1500, 1500]

    static func readings(outflow: [Double], level: [Double]) -> [Reading] {
        series("song-tranh-2", .outflow, from: elevenAM, every: hour, outflow)
            + series("song-tranh-2", .level, from: elevenAM, every: hour, level)
    }

    @Test("the spillway opening: raised at 500 m³/s, escalated at 1,000, each 300 m³/s step told, downstream named")
    func release() throws {
        var engine = WarningEngine(catalogue: Self.catalogue())
        let level = (0..<12).map { 172.3 + Double($0) * 0.06 }  // 172.3 → 173 m
        let events = engine.replay(Self.readings(outflow: Self.outflow, level: level)).events
        let release = events.filter { $0.rule == .release }
        #expect(
            release.map { "\($0.kind.rawValue) \($0.level) at \(($0.timestamp - Self.elevenAM) / hour)h" } == [
                "raised 1 at 7h", "escalated 2 at 8h", "updated 2 at 9h",
            ])
        let first = try #require(release.first)
        #expect(
            first.messageVI.hasPrefix(
                "Sông Tranh 2 (Tranh): xả 700 m³/s lúc 18:00 ngày 21/11 (ngưỡng 500 m³/s), tăng 300 m³/s trong 1 giờ"))
        #expect(first.messageVI.hasSuffix("; hạ du: xã Trà Đốc, xã Trà Tân"))
        #expect(
            first.messageEN.contains("releasing 700 m³/s at 18:00 on 21 Nov")
                && first.messageEN.contains("downstream: Trà Đốc commune"))
        #expect(events.allSatisfy { $0.rule != .pool }, "172.3 → 173 m stays more than 1 m below 175 m")
    }

    @Test("release and pool events carry the commune the reservoir stands in, as every rule's events do")
    func area() {
        var engine = WarningEngine(catalogue: Self.catalogue())
        let level: [Double] = [173.5, 174.2, 175.0, 175.0, 175.0, 175.0, 175.0, 175.0, 175.0, 175.0, 175.0, 175.0]
        let events = engine.replay(Self.readings(outflow: Self.outflow, level: level)).events
        #expect(Set(events.map(\.rule)) == [.release, .pool])
        // The release rule used to leave it out, so a release reached the alerts without its commune.
        #expect(events.allSatisfy { $0.area == "tra-doc" }, "\(events.map { "\($0.rule) \($0.area ?? "nil")" })")
    }

    @Test("a step below the thresholds is told too; the warning ends after the hold once the release is back down")
    func stepBelowThresholds() {
        var engine = WarningEngine(catalogue: Self.catalogue())
        let outflow: [Double] = [106, 106, 450, 450, 450, 106, 106, 106]
        let events = engine.replay(series("song-tranh-2", .outflow, from: Self.elevenAM, every: hour, outflow)).events
        #expect(events.map { "\($0.kind.rawValue) \($0.level)" } == ["raised 1", "cleared 0"])
        // Below the first threshold (500 m³/s) the step is a notice: the warning comes down once the outflow has
        // stayed below a threshold for the hold (30 min), at the second hourly reading after the step.
        #expect(events.last?.timestamp == Self.elevenAM + 4 * hour)
    }

    @Test("the reservoir level: level 1 within 1 m of the normal water level, 2 at or above it")
    func pool() {
        var engine = WarningEngine(catalogue: Self.catalogue())
        let level: [Double] = [173.5, 174.2, 174.9, 175.0, 175.1]
        let events = engine.replay(series("song-tranh-2", .level, from: Self.elevenAM, every: hour, level)).events
        #expect(
            events.map { "\($0.rule.rawValue) \($0.kind.rawValue) \($0.level)" } == [
                "pool raised 1", "pool escalated 2",
            ])
        #expect(
            events.first?.messageVI.hasSuffix(
                "mực nước hồ 174,20 m lúc 12:00 ngày 21/11, dưới mực nước dâng bình thường 175,00 m 0,80 m") == true)
    }
}

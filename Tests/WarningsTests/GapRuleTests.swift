import Gauges
import Testing
import Warnings

/// Readings lost upstream (rule `gap`): one warning per sensor while it has open gaps in its counter, judged by the
/// engine from what the storage found, and kept across a restart like every rule's state.
@Suite("Gap rule")
struct GapRuleTests {
    static let catalogue = StationCatalogue(stations: [Stations.cauLau()])
    /// 2020-10-28 20:00 +07:00.
    static let start: Int64 = 1_603_890_000_000

    static func gap(_ first: Int64, _ last: Int64) -> CounterGap {
        CounterGap(
            station: "cau-lau", sensor: .level, firstSeq: first, lastSeq: last, after: start + (first - 1) * 300_000,
            before: start + (last + 1) * 300_000)
    }

    static func describe(_ events: [WarningEvent]) -> [String] {
        events.map { "\($0.kind.rawValue) \($0.level) at \(($0.timestamp - start) / 60_000) min" }
    }

    @Test("the first gap raises level 1 at the reading after it; more gaps while it is up add nothing")
    func raisedOnce() {
        var engine = WarningEngine(catalogue: Self.catalogue)
        let first = engine.judge([.opened(Self.gap(2, 4)), .opened(Self.gap(7, 8))], at: Self.start + 3_600_000)
        #expect(Self.describe(first) == ["raised 1 at 25 min"])
        #expect(first.first?.value == 3, "3 readings missing")
        #expect(first.first?.messageEN.contains("lost before reaching FloodWatch (seq 2–4)") == true)
        #expect(engine.judge([.opened(Self.gap(12, 12))], at: Self.start + 7_200_000).isEmpty)
        #expect(engine.openWarnings.map(\.rule) == [.gap])
    }

    @Test("filled gaps clear it only when none is left open, at the batch's arrival")
    func clearedByTheLast() {
        var engine = WarningEngine(catalogue: Self.catalogue)
        _ = engine.judge([.opened(Self.gap(2, 4)), .opened(Self.gap(7, 8))], at: Self.start)
        #expect(engine.judge([.filled(Self.gap(2, 4), stillOpen: 1)], at: Self.start + 600_000).isEmpty)
        let cleared = engine.judge([.filled(Self.gap(7, 8), stillOpen: 0)], at: Self.start + 1_200_000)
        #expect(Self.describe(cleared) == ["cleared 0 at 20 min"])
        #expect(cleared.first?.messageEN.contains("the missing water level readings arrived") == true)
        #expect(engine.openWarnings.isEmpty)
        #expect(engine.judge([.filled(Self.gap(9, 9), stillOpen: 0)], at: Self.start).isEmpty, "nothing to clear")
    }

    @Test("an open gap warning survives a restart: the snapshot holds it, so it is cleared, not raised again")
    func acrossRestart() {
        var engine = WarningEngine(catalogue: Self.catalogue)
        engine.beginChanges()
        _ = engine.judge([.opened(Self.gap(2, 4))], at: Self.start)
        engine.keepChanges()
        let snapshots = engine.takeChangedSnapshots()
        #expect(snapshots[SensorKey(station: "cau-lau", sensor: .level)]?.gap.level == 1)

        var restarted = WarningEngine(catalogue: Self.catalogue, snapshots: snapshots, recent: [])
        #expect(restarted.judge([.opened(Self.gap(9, 9))], at: Self.start).isEmpty)
        #expect(
            Self.describe(restarted.judge([.filled(Self.gap(2, 4), stillOpen: 0)], at: Self.start)) == [
                "cleared 0 at 0 min"
            ])
    }

    @Test("a failed transaction's gap warning is undone with it")
    func undone() {
        var engine = WarningEngine(catalogue: Self.catalogue)
        engine.beginChanges()
        #expect(engine.judge([.opened(Self.gap(2, 4))], at: Self.start).count == 1)
        engine.undoChanges()
        #expect(engine.openWarnings.isEmpty)
        #expect(engine.judge([.opened(Self.gap(2, 4))], at: Self.start).count == 1, "raised again when retried")
    }
}

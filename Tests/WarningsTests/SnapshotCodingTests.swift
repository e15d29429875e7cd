import Foundation
import Gauges
import Testing
import Warnings

@Suite("Sensor snapshots")
struct SnapshotCodingTests {
    @Test("snapshots are small, survive a JSON round trip, and the change set is forgotten once taken")
    func jsonRoundTrip() throws {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        _ = engine.replay(LateAndRestartTests.flood())
        let snapshots = engine.takeChangedSnapshots()
        #expect(snapshots.count == 2)
        #expect(engine.takeChangedSnapshots().isEmpty)
        for (_, snapshot) in snapshots {
            let json = Data(snapshot.json.utf8)
            #expect(json.count < 1000)
            #expect(try JSONDecoder().decode(SensorSnapshot.self, from: json) == snapshot)
        }
        let level = try #require(snapshots[SensorKey(station: "cau-lau", sensor: .level)])
        #expect(level.watermark == LateAndRestartTests.start + 290 * minute)
        #expect(level.spike.lastAccepted?.value == 1.70)
    }

    @Test("every state a long flood passes through (spikes held, hold timers, rain windows) survives the round trip")
    func everyStateRoundTrips() throws {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let readings = LateAndRestartTests.longFlood().sorted { $0.timestamp < $1.timestamp }
        var seen: Set<String> = []
        for reading in readings {
            _ = engine.replay([reading])
            for (_, snapshot) in engine.takeChangedSnapshots() {
                let decoded = try JSONDecoder().decode(SensorSnapshot.self, from: Data(snapshot.json.utf8))
                #expect(decoded == snapshot, "\(snapshot.json)")
                for key in ["candidate", "belowSince", "raisedAt", "rainWindowSeconds"]
                where snapshot.json.contains(key) {
                    seen.insert(key)
                }
            }
        }
        #expect(seen == ["candidate", "belowSince", "raisedAt", "rainWindowSeconds"], "states covered: \(seen)")
    }
}

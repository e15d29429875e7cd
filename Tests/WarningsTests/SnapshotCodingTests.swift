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
            let json = try JSONEncoder().encode(snapshot)
            #expect(json.count < 1000)
            #expect(try JSONDecoder().decode(SensorSnapshot.self, from: json) == snapshot)
        }
        let level = try #require(snapshots[SensorKey(station: "cau-lau", sensor: .level)])
        #expect(level.watermark == LateAndRestartTests.start + 290 * minute)
        #expect(level.spike.lastAccepted?.value == 1.70)
    }
}

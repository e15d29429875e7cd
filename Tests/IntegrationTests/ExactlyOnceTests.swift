import Foundation
import GRDB
import TestSupport
import Testing

/// Redelivered and re-uploaded readings add no row; a different value for a stored key is rejected.
@Suite("Exactly once", .timeLimit(.minutes(2)), .blockingAllowed, .takingTurns)
struct ExactlyOnceTests {
    @Test("publishing the same 1,000 readings twice leaves 1,000 rows", arguments: TestStore.allCases)
    func sameReadingsTwice(_ store: TestStore) async throws {
        let broker = try TestBroker()
        let service = try await InProcessService(on: store, broker: broker)
        try await service.start()
        let publisher = try broker.publisher()
        let start: Int64 = 1_665_439_200  // 2022-10-11T05:00:00+07:00
        for round in 0..<2 {
            for i in 0..<1000 {
                let payload = #"{"ts":\#(start + Int64(i) * 300),"value":\#(2.0 + Double(i % 100) / 100),"seq":\#(i)}"#
                try publisher.publish(topic: "gauges/cau-lau/level", text: payload)
            }
            #expect(publisher.waitForAcknowledgements(timeoutSeconds: 30))
            let expected = 1000 * (round + 1)
            #expect(try await eventually { service.service.status.messagesCommitted >= expected })
        }
        try await service.stop()

        #expect(try service.readingCount() == 1000)
        #expect(service.metrics.counterTotal(label: "floodwatch_readings_duplicate_total") == 1000)
        #expect(service.metrics.counterTotal(label: "floodwatch_readings_stored_total") == 1000)
        #expect(try service.rejectedRows().isEmpty)
    }

    @Test("the same key with another value keeps the first and rejects the newcomer", arguments: TestStore.allCases)
    func conflictingValue(_ store: TestStore) async throws {
        let broker = try TestBroker()
        let service = try await InProcessService(on: store, broker: broker)
        try await service.start()
        try broker.mosquittoPub(topic: "gauges/cau-lau/level", payload: #"{"ts":1665439200,"value":4.02}"#)
        try broker.mosquittoPub(topic: "gauges/cau-lau/level", payload: #"{"ts":1665439200,"value":4.5}"#)
        #expect(try await eventually { try service.rejectedCount(code: "conflict") == 1 })
        try await service.stop()

        let values = try service.rows("SELECT value FROM readings").map { $0["value"] as Double }
        #expect(values == [4.02])
        let rejected = try #require(try service.rejectedRows().first)
        #expect((rejected["reason"] as String).contains("conflicts with stored value"))
        #expect(rejected["payload"] as String == #"{"ts":1665439200,"value":4.5}"#)
        #expect(rejected["station"] as String? == "cau-lau")
        #expect(service.rejectedMetric("conflict") == 1)
    }
}

import Foundation
import Gauges
import Ingestion
import Logging
import PostgresStore
import Storage
import TestSupport
import Testing

/// One slot's ingest path writing under its lease (issue 17): when another instance takes the slot over, the
/// path stops without acknowledging, and the broker gives what it had read to the slot's session under its next
/// owner, which stores it once.
@Suite("A slot's lease", .timeLimit(.minutes(2)), .blockingAllowed, .takingTurns)
struct SlotLeaseTests {
    @Test("a lease taken over stops the old owner's ingest without acknowledging; the next owner stores the readings")
    func leaseLostStopsIngest() async throws {
        let postgres = try await PostgresTestDatabase.make()
        var logger = Logger(label: "floodwatch-test-postgres")
        logger.logLevel = .critical
        let database = PostgresDatabase(try PostgresLocation(url: postgres.url), logger: logger)
        try await database.migrate(now: WallClock.system())
        try await database.synchronizeStations(bundledCatalogue, now: WallClock.system())
        let broker = try TestBroker()
        let publisher = try broker.publisher()
        let start: Int64 = 1_665_439_200

        // Instance a holds slot 0 and stores a first reading.
        let old = try #require(try await database.acquire("slot-0", owner: "a", for: .seconds(1)))
        let first = SlotStore(database, lease: old)
        let a = Self.ingest(first, broker: broker)
        let runningA = Task { try await a.run() }
        #expect(try await eventually { a.status.subscribed })
        try publisher.publish(topic: "gauges/cau-lau/level", text: #"{"ts":\#(start),"value":2.5,"seq":0}"#)
        #expect(try await eventually { a.status.messagesCommitted == 1 })

        // a stalls past its lease (here: b takes the slot once it expired); a's next batch is refused.
        try await Task.sleep(for: .milliseconds(1200))
        let taken = try #require(try await database.acquire("slot-0", owner: "b", for: .seconds(30)))
        try publisher.publish(topic: "gauges/cau-lau/level", text: #"{"ts":\#(start + 300),"value":2.6,"seq":1}"#)
        #expect(try await eventually { a.status.leaseLost == old }, "a says it lost the lease")
        try await runningA.value
        #expect(a.status.messagesCommitted == 1, "nothing more committed, or acknowledged, by a")
        #expect(try postgres.psql("SELECT count(*) FROM readings") == "1")

        // b connects the slot's session: the broker redelivers the reading a read and did not acknowledge.
        let second = SlotStore(database, lease: taken)
        let b = Self.ingest(second, broker: broker)
        let runningB = Task { try await b.run() }
        #expect(try await eventually { try postgres.psql("SELECT count(*) FROM readings") == "2" })
        b.stop()
        try await runningB.value
        #expect(try postgres.psql("SELECT string_agg(seq::text, ',' ORDER BY seq) FROM readings") == "0,1")
        await first.close()
        await second.close()
        await database.shutDown()
    }

    @Test("a slot's session takes the readings of its own stations only, once the broker granted every filter")
    func slotSubscribesToItsStations() async throws {
        let broker = try TestBroker()
        let service = try InProcessService(broker: broker, clientID: "floodwatch-slot-1") {
            $0.topicFilters = ["cau-lau", "hoi-an"].map(GaugeTopic.filter(station:))
        }
        try await service.start()
        try broker.mosquittoPub(topic: "gauges/ai-nghia/level", payload: #"{"ts":1665439200,"value":4.02}"#)
        try broker.mosquittoPub(topic: "gauges/unknown-station/level", payload: #"{"ts":1665439200,"value":4}"#)
        try broker.mosquittoPub(topic: "gauges/cau-lau/level", payload: #"{"ts":1665439200,"value":2.5}"#)
        try broker.mosquittoPub(topic: "gauges/hoi-an/level", payload: #"{"ts":1665439200,"value":1.5}"#)
        #expect(try await eventually { try service.readingCount() == 2 })
        try await service.stop()
        let stations = try service.rows("SELECT station FROM readings ORDER BY station").map { $0["station"] as String }
        #expect(stations == ["cau-lau", "hoi-an"])
        #expect(try service.rejectedCount(code: "unknown_station") == 0, "another slot's, or nobody's")
    }

    /// The slot's ingest path: its persistent session's client id is the slot's, whoever holds it.
    static func ingest(_ store: SlotStore, broker: TestBroker) -> IngestService {
        var logger = Logger(label: "floodwatch-test")
        logger.logLevel = .critical
        return IngestService(
            configuration: IngestConfiguration(broker: broker.configuration(clientID: "floodwatch-slot-0")),
            catalogue: bundledCatalogue, database: store, logger: logger)
    }
}

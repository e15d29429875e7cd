import HTTPAPI
import PostgresStore
import Testing

@testable import FloodWatchServer

/// The payloads live events travel in between instances (`NOTIFY`, at most 8,000 bytes each).
@Suite("Live events relay payloads")
struct LiveEventsRelayTests {
    @Test("many events split into payloads under PostgreSQL's limit, read back in order; one's own skipped")
    func payloadsRoundTrip() {
        let events = (0..<500).map {
            LiveEvents.Event(name: $0 % 7 == 0 ? "warning" : "reading", data: #"{"n":\#($0),"s":"Câu Lâu"}"#)
        }
        let payloads = LiveEventsRelay.payloads(events, origin: "instance-a")
        #expect(payloads.count > 1)
        #expect(payloads.allSatisfy { $0.utf8.count <= PostgresDatabase.maximumNotification })
        #expect(payloads.flatMap { LiveEventsRelay.events(in: $0, skipping: "instance-b") } == events)
        #expect(payloads.flatMap { LiveEventsRelay.events(in: $0, skipping: "instance-a") }.isEmpty)
    }
}

import Foundation
import Gauges
import HTTPAPI
import Logging
import PostgresStore
import ServiceLifecycle
import Warnings

/// Live events between FloodWatch instances on one PostgreSQL database: what this instance commits is sent with
/// `NOTIFY` on `PostgresDatabase.eventsChannel`, and what any other instance sends arrives by `LISTEN` and goes
/// to this instance's live streams (`GET /api/events`). So a page open on any instance sees every reading and
/// warning, whichever instance stored it.
///
/// This instance's own events reach its streams at once, not through the server: each notification names the
/// instance that sent it (`origin`), and the listener skips its own. A batch of many readings (a backlog
/// draining) is told by the newest reading of each sensor only, so that the notifications stay a handful per
/// batch (each at most `PostgresDatabase.maximumNotification` bytes); every warning event is told.
final class LiveEventsRelay: Service, Sendable {
    private let database: PostgresDatabase
    private let live: LiveEvents
    private let logger: Logger
    private let origin = UUID().uuidString
    private let outgoing: AsyncStream<[LiveEvents.Event]>
    private let queue: AsyncStream<[LiveEvents.Event]>.Continuation

    /// Above this many new readings in a batch, only the newest of each sensor is told.
    static let readingsToldInFull = 200

    init(database: PostgresDatabase, live: LiveEvents, logger: Logger) {
        self.database = database
        self.live = live
        self.logger = logger
        // Bounded: while PostgreSQL is away the oldest batches' events are dropped, never the ingest thread held.
        (outgoing, queue) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1000))
    }

    /// Called on the ingest thread after each commit: never waits.
    func send(readings: [Reading], warnings: [WarningEvent]) {
        guard !readings.isEmpty || !warnings.isEmpty else { return }
        var told = readings
        if readings.count > Self.readingsToldInFull {
            var newest: [SensorKey: Reading] = [:]
            for reading in readings {
                let key = SensorKey(station: reading.station, sensor: reading.sensor)
                if (newest[key]?.timestamp ?? .min) < reading.timestamp { newest[key] = reading }
            }
            told = newest.values.sorted { ($0.station, $0.sensor.rawValue) < ($1.station, $1.sensor.rawValue) }
        }
        queue.yield(LiveEvents.events(readings: told) + LiveEvents.events(warnings: warnings))
    }

    /// Payloads of at most `PostgresDatabase.maximumNotification` bytes: the origin on the first line, then one
    /// event a line, its name and its JSON separated by a tab.
    static func payloads(_ events: [LiveEvents.Event], origin: String) -> [String] {
        var payloads: [String] = []
        var current = origin
        for event in events {
            let line = "\n" + event.name + "\t" + event.data
            guard origin.utf8.count + line.utf8.count <= PostgresDatabase.maximumNotification else { continue }
            if current.utf8.count + line.utf8.count > PostgresDatabase.maximumNotification {
                payloads.append(current)
                current = origin
            }
            current += line
        }
        if current != origin { payloads.append(current) }
        return payloads
    }

    /// The events of a payload, unless this instance sent it.
    static func events(in payload: String, skipping origin: String) -> [LiveEvents.Event] {
        let lines = payload.split(separator: "\n", omittingEmptySubsequences: true)
        guard let first = lines.first, first != origin else { return [] }
        return lines.dropFirst().compactMap { line in
            guard let tab = line.firstIndex(of: "\t") else { return nil }
            return LiveEvents.Event(name: String(line[..<tab]), data: String(line[line.index(after: tab)...]))
        }
    }

    func run() async throws {
        let (live, origin) = (self.live, self.origin)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await self.database.listenForEvents { payload in
                    for event in Self.events(in: payload, skipping: origin) { live.publish(event) }
                }
            }
            group.addTask {
                for await events in self.outgoing {
                    do {
                        try await self.database.notify(Self.payloads(events, origin: origin))
                    } catch {
                        self.logger.warning(
                            "Cannot send live events to the other instances",
                            metadata: ["error": "\(String(reflecting: error))"])
                    }
                }
            }
            try? await gracefulShutdown()
            queue.finish()
            group.cancelAll()
        }
    }
}

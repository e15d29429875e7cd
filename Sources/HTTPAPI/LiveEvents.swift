import Foundation
import Gauges
import Hummingbird
import ServiceLifecycle
import Synchronization
import Warnings

/// Fans new readings and warning events out to every open `GET /api/events` stream.
///
/// The ingest thread publishes after each commit and never waits: each subscriber has a bounded buffer, and a
/// subscriber too slow to keep up loses the oldest events (its page refetches on the next warning), never
/// slowing intake.
///
/// A Service too: at graceful shutdown it ends every stream, or the HTTP server would wait for them forever.
public final class LiveEvents: Service, Sendable {
    public struct Event: Sendable, Equatable {
        public var name: String
        /// JSON, one line.
        public var data: String

        public init(name: String, data: String) {
            self.name = name
            self.data = data
        }
    }

    private let subscribers = Mutex<[UUID: AsyncStream<Event>.Continuation]>([:])
    private let closed = Atomic<Bool>(false)

    public init() {}

    public var subscriberCount: Int { subscribers.withLock { $0.count } }

    /// Sends an event to every subscriber.
    public func publish(_ name: String, json: String) {
        let event = Event(name: name, data: json)
        for continuation in subscribers.withLock({ Array($0.values) }) {
            continuation.yield(event)
        }
    }

    /// New readings, as `event: reading` with `{station, sensor, time, value, quality}`.
    public func publish(readings: [Reading]) {
        guard subscriberCount > 0 else { return }
        for event in Self.events(readings: readings) { publish(event) }
    }

    /// Warning events, as `event: warning` with `{station, sensor, rule, event, level, time, message}`; a page
    /// refetches the warnings for their ids.
    public func publish(warnings: [WarningEvent]) {
        guard subscriberCount > 0 else { return }
        for event in Self.events(warnings: warnings) { publish(event) }
    }

    /// Sends an event, as made by `events(readings:)` or `events(warnings:)`, to every subscriber.
    public func publish(_ event: Event) {
        publish(event.name, json: event.data)
    }

    /// The events of new readings, as `publish(readings:)` sends them (and the PostgreSQL relay passes them on).
    public static func events(readings: [Reading]) -> [Event] {
        readings.map { Event(name: "reading", data: ReadingsJSON.liveReading($0)) }
    }

    /// The events of warning events, as `publish(warnings:)` sends them.
    public static func events(warnings: [WarningEvent]) -> [Event] {
        struct Body: Encodable {
            var station, sensor, rule, event: String
            var level: Int
            var time: String
            var message: [String: String]
        }
        return warnings.compactMap { event in
            let body = Body(
                station: event.station, sensor: event.sensor.rawValue, rule: event.rule.rawValue,
                event: event.kind.rawValue, level: event.level, time: UnixTime.vietnam(event.timestamp),
                message: ["vi": event.messageVI, "en": event.messageEN])
            guard let data = try? JSON.encoder.encode(body) else { return nil }
            return Event(name: "warning", data: String(decoding: data, as: UTF8.self))
        }
    }

    private func subscribe() -> (id: UUID, stream: AsyncStream<Event>, continuation: AsyncStream<Event>.Continuation) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(1000))
        subscribers.withLock { $0[id] = continuation }
        if closed.load(ordering: .relaxed) { continuation.finish() }
        return (id, stream, continuation)
    }

    /// Waits for graceful shutdown, then ends every stream so that clients reconnect to the next process.
    public func run() async throws {
        try? await gracefulShutdown()
        closed.store(true, ordering: .relaxed)
        for continuation in subscribers.withLock({ Array($0.values) }) {
            continuation.finish()
        }
    }

    private func unsubscribe(_ id: UUID) {
        subscribers.withLock {
            $0[id]?.finish(); $0[id] = nil
        }
    }

    /// The `text/event-stream` response: events as they come, and a comment every 15 s so that proxies keep the
    /// connection open and a closed client is noticed.
    func response() -> Response {
        let (id, stream, continuation) = subscribe()
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(15))
                continuation.yield(Event(name: "", data: ""))
            }
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                defer {
                    heartbeat.cancel()
                    self.unsubscribe(id)
                }
                try await writer.write(ByteBuffer(string: ": FloodWatch live events\n\n"))
                for await event in stream {
                    let text = event.name.isEmpty ? ": keep-alive\n\n" : "event: \(event.name)\ndata: \(event.data)\n\n"
                    try await writer.write(ByteBuffer(string: text))
                }
                try await writer.finish(nil)
            })
    }
}

import Alerts
import Gauges
import Hummingbird
import Storage

/// `GET /api/gaps`: readings lost before they reached FloodWatch, as gauges' counters (`seq`) and the broker's
/// own dropped-message count show them.
struct GapRoutes: Sendable {
    let context: APIServer.Context

    struct Gap: Encodable {
        var station: String
        var sensor: String
        var firstSeq: Int64
        var lastSeq: Int64
        var missing: Int64
        var after: String
        var before: String
        var detected: String
        var filled: String?

        enum CodingKeys: String, CodingKey {
            case station, sensor, missing, after, before, detected, filled
            case firstSeq = "first_seq"
            case lastSeq = "last_seq"
        }

        init(_ gap: SequenceGap) {
            station = gap.station
            sensor = gap.sensor.rawValue
            firstSeq = gap.firstSeq
            lastSeq = gap.lastSeq
            missing = gap.missing
            after = UnixTime.vietnam(gap.afterTimestamp)
            before = UnixTime.vietnam(gap.beforeTimestamp)
            detected = UnixTime.vietnam(gap.detectedAt)
            filled = gap.filledAt.map(UnixTime.vietnam)
        }
    }

    struct Answer: Encodable {
        var gaps: [Gap]
        /// mosquitto's `$SYS/broker/publish/messages/dropped` (since the broker started); null until it said.
        var brokerDroppedMessages: Int64?

        enum CodingKeys: String, CodingKey {
            case gaps
            case brokerDroppedMessages = "broker_dropped_messages"
        }
    }

    func add(to group: RouterGroup<APIRequestContext>) {
        group.get("gaps") { request, requestContext in
            _ = try await context.authorize(request, requestContext, as: .reader)
            let query = QueryParameters(request: request)
            let station = query.text("station")
            if let station, context.catalogue[station] == nil {
                throw APIError.notFound("there is no station '\(station)'")
            }
            let gaps = try await context.database.sequenceGaps(
                station: station, from: try query.time("from"), to: try query.time("to"),
                open: try query.boolean("open") ?? false, limit: try query.integer("limit", in: 1...1000) ?? 200)
            return try JSON.response(Answer(gaps: gaps.map(Gap.init), brokerDroppedMessages: context.brokerDropped()))
        }
    }
}

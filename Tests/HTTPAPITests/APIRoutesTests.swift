import Foundation
import Gauges
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import Yams

@Suite("History API")
struct APIRoutesTests {
    typealias F = APIFixture

    func withAPI(
        _ context: APIServer.Context? = nil, _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let app = Application(router: APIServer.router(try context ?? F.context()))
        try await app.test(.router, body)
    }

    @Test("stations: along each river from upstream, with latest readings, trend, alarm levels and warnings")
    func stations() async throws {
        try await withAPI { client in
            try await client.execute(uri: "/api/stations", method: .get) { response in
                #expect(response.status == .ok)
                let stations = try #require(try F.json(response.body)["stations"] as? [[String: Any]])
                #expect(stations.compactMap { $0["id"] as? String } == ["tra-my", "nong-son", "cau-lau"])
                let cauLau = stations[2]
                let latest = try #require((cauLau["latest"] as? [String: Any])?["level"] as? [String: Any])
                #expect(latest["value"] as? Double == F.level(575))
                #expect(latest["time"] as? String == "2020-10-29T23:55:00+07:00")
                // 12 readings an hour, 1 cm each: 0.12 m/h.
                #expect(abs((latest["trend_m_per_h"] as? Double ?? 0) - 0.12) < 1e-9)
                #expect(cauLau["alarm_levels"] as? [String: Double] == ["1": 2, "2": 3, "3": 4])
                #expect(cauLau["alarm_level"] as? Int == 4, "6.75 m is above the record, 5.61 m")
                #expect(cauLau["warning_level"] as? Int == 2)
                let warnings = try #require(cauLau["warnings"] as? [[String: Any]])
                #expect(warnings.count == 1)
                #expect((warnings.first?["message"] as? [String: Any])?["en"] as? String == "Câu Lâu: alarm level II")
                #expect((stations[1]["alarm_levels"] as? [String: Double]) == ["2": 13, "3": 15], "no BĐ I invented")
                #expect((stations[0]["latest"] as? [String: Any])?["level"] == nil)
            }
        }
    }

    @Test("readings: raw points in a range, hourly buckets from the rollups, rain summed, days in local time")
    func readings() async throws {
        try await withAPI { client in
            try await client.execute(
                uri: "/api/stations/cau-lau/readings?from=2020-10-28T01:00:00%2B07:00&to=2020-10-28T02:00:00%2B07:00",
                method: .get
            ) { response in
                #expect(response.status == .ok)
                let points = try #require(try F.json(response.body)["points"] as? [[String: Any]])
                #expect(points.count == 13, "both ends included")
                #expect(points.first?["time"] as? String == "2020-10-28T01:00:00+07:00")
                #expect(points.first?["value"] as? Double == F.level(12))
            }
            // The same '+' unencoded, as people type it.
            try await client.execute(
                uri:
                    "/api/stations/cau-lau/readings?from=2020-10-28T00:00:00+07:00&to=2020-10-30T00:00:00+07:00&step=1h",
                method: .get
            ) { response in
                #expect(response.status == .ok)
                let body = try F.json(response.body)
                let buckets = try #require(body["buckets"] as? [[String: Any]])
                #expect(buckets.count == 48)
                let second = buckets[1]
                #expect(second["time"] as? String == "2020-10-28T01:00:00+07:00")
                #expect(second["count"] as? Int == 12)
                #expect(second["min"] as? Double == F.level(12))
                #expect(second["max"] as? Double == F.level(23))
                #expect(abs((second["mean"] as? Double ?? 0) - (F.level(12) + F.level(23)) / 2) < 1e-9)
                #expect(second["last"] as? Double == F.level(23))
            }
            try await client.execute(
                uri: "/api/stations/cau-lau/readings?sensor=rain&from=2020-10-28T00:00:00%2B07:00"
                    + "&to=2020-10-30T00:00:00%2B07:00&step=1d",
                method: .get
            ) { response in
                let buckets = try #require(try F.json(response.body)["buckets"] as? [[String: Any]])
                #expect(
                    buckets.map { $0["time"] as? String } == ["2020-10-28T00:00:00+07:00", "2020-10-29T00:00:00+07:00"])
                #expect(buckets.map { $0["sum"] as? Double } == [576, 576], "288 readings of 2 mm a day")
                #expect(buckets.first?["mean"] == nil)
            }
            // 15-minute buckets come from the readings themselves.
            try await client.execute(
                uri:
                    "/api/stations/cau-lau/readings?from=2020-10-28T00:00:00%2B07:00&to=2020-10-28T01:00:00%2B07:00&step=15m",
                method: .get
            ) { response in
                let buckets = try #require(try F.json(response.body)["buckets"] as? [[String: Any]])
                #expect(buckets.map { $0["count"] as? Int } == [3, 3, 3, 3])
            }
            // `step` is a duration like every other of FloodWatch (catalogue, configuration): 3600 and 60m are 1h.
            var answers: [String] = []
            for step in ["1h", "60m", "3600", "3600s"] {
                try await client.execute(
                    uri: "/api/stations/cau-lau/readings?from=2020-10-28T00:00:00%2B07:00"
                        + "&to=2020-10-29T00:00:00%2B07:00&step=\(step)",
                    method: .get
                ) { response in
                    #expect(response.status == .ok, "step=\(step)")
                    let buckets = try #require(try F.json(response.body)["buckets"] as? [[String: Any]])
                    #expect(buckets.count == 24, "step=\(step)")
                    answers.append("\(buckets.map { $0["time"] as? String ?? "" })")
                }
            }
            #expect(Set(answers).count == 1, "the same buckets for every spelling of an hour")
        }
    }

    @Test("bad parameters are 400 naming the parameter; an unknown station is 404")
    func badParameters() async throws {
        let cases: [(String, String)] = [
            ("/api/stations/cau-lau/readings?sensor=flow", "sensor"),
            ("/api/stations/tra-my/readings?sensor=level", "sensor"),
            ("/api/stations/cau-lau/readings?from=yesterday", "from"),
            ("/api/stations/cau-lau/readings?from=2020-10-28T00:00:00", "from"),
            ("/api/stations/cau-lau/readings?from=2020-10-29T00:00:00%2B07:00&to=2020-10-28T00:00:00%2B07:00", "from"),
            ("/api/stations/cau-lau/readings?step=1w", "step"),
            ("/api/stations/cau-lau/readings?step=1m", "step"),
            ("/api/stations/cau-lau/readings?step=0", "step"),
            ("/api/stations/cau-lau/readings?step=-1h", "step"),
            ("/api/stations/cau-lau/readings?step=1.5h", "step"),
            ("/api/stations/cau-lau/readings?from=2000-01-01T00:00:00%2B07:00&step=1h", "step"),
            ("/api/stations/cau-lau/readings?from=2020-01-01T00:00:00%2B07:00", "step"),
            ("/api/warnings?limit=0", "limit"),
            ("/api/warnings?active=maybe", "active"),
        ]
        try await withAPI { client in
            for (uri, parameter) in cases {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                    let error = try F.error(response.body)
                    #expect(error["parameter"] as? String == parameter, "\(uri): \(error)")
                    #expect((error["message"] as? String)?.isEmpty == false)
                }
            }
            for uri in ["/api/stations/cau-lua/readings", "/api/warnings?station=cau-lua"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    let message = try F.error(response.body)["message"] as? String
                    #expect(message?.contains("cau-lua") == true)
                }
            }
        }
    }

    @Test("warnings: newest first, by station and time, or only the active ones")
    func warnings() async throws {
        try await withAPI { client in
            try await client.execute(uri: "/api/warnings?station=cau-lau", method: .get) { response in
                let warnings = try #require(try F.json(response.body)["warnings"] as? [[String: Any]])
                #expect(warnings.map { $0["event"] as? String } == ["escalated", "raised"])
                #expect(warnings.first?["warning_id"] as? Int == 1)
            }
            try await client.execute(uri: "/api/warnings?active=true", method: .get) { response in
                let warnings = try #require(try F.json(response.body)["warnings"] as? [[String: Any]])
                #expect(warnings.count == 1)
                #expect(warnings.first?["level"] as? Int == 2)
            }
            try await client.execute(uri: "/api/warnings?to=2020-10-28T09:00:00%2B07:00", method: .get) { response in
                let warnings = try #require(try F.json(response.body)["warnings"] as? [[String: Any]])
                #expect(warnings.map { $0["event"] as? String } == ["raised"])
            }
        }
    }

    @Test("acknowledging needs an officer's token: 401 without or unknown, 403 for a reader, then 200, 409, 404")
    func acknowledge() async throws {
        let body = ByteBuffer(string: #"{"by": "Nguyễn Văn An, trực ban", "note": "Đã báo xã"}"#)
        @Sendable func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }
        try await withAPI { client in
            try await client.execute(uri: "/api/warnings/1/ack", method: .post, body: body) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
            }
            try await client.execute(
                uri: "/api/warnings/1/ack", method: .post, headers: bearer("officer-secret-0123456780"), body: body
            ) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(
                uri: "/api/warnings/1/ack", method: .post, headers: bearer(F.reader.secret), body: body
            ) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(
                uri: "/api/warnings/1/ack", method: .post, headers: bearer(F.officer.secret),
                body: ByteBuffer(string: #"{"note": "who?"}"#)
            ) { response in
                #expect(response.status == .badRequest)
                let error = try F.error(response.body)
                #expect(error["parameter"] as? String == "by")
            }
            try await client.execute(
                uri: "/api/warnings/1/ack", method: .post, headers: bearer(F.officer.secret), body: body
            ) { response in
                #expect(response.status == .ok)
                let event = try F.json(response.body)
                #expect(event["event"] as? String == "acknowledged")
                #expect(event["acknowledged_by"] as? String == "Nguyễn Văn An, trực ban")
                #expect(event["note"] as? String == "Đã báo xã")
                // The audit: from where, with which token (its name, never its secret).
                #expect(event["acknowledged_from"] as? String == "HTTP from unknown, token duty")
            }
            try await client.execute(
                uri: "/api/warnings/1/ack", method: .post, headers: bearer(F.officer.secret), body: body
            ) { response in
                #expect(response.status == .conflict)
                let message = try F.error(response.body)["message"] as? String
                #expect(message?.contains("already acknowledged") == true)
            }
            try await client.execute(
                uri: "/api/warnings/99/ack", method: .post, headers: bearer(F.officer.secret), body: body
            ) { response in
                #expect(response.status == .notFound)
            }
            // The active warning now says who has it.
            try await client.execute(uri: "/api/warnings?active=true", method: .get) { response in
                let warnings = try #require(try F.json(response.body)["warnings"] as? [[String: Any]])
                #expect(warnings.first?["acknowledged_by"] as? String == "Nguyễn Văn An, trực ban")
            }
        }
    }

    @Test("10 failed authentications from one address: 429 with Retry-After for a minute, even with a good token")
    func failedLoginsAreLimited() async throws {
        let clock = Mutex(F.now)
        var context = try F.context(access: AccessPolicy(openReading: false, tokens: [F.officer, F.reader]))
        context.clock = WallClock { clock.withLock { $0 } }
        let good: HTTPFields = [.authorization: "Bearer \(F.reader.secret)"]
        try await withAPI(context) { client in
            for attempt in 1...10 {
                try await client.execute(
                    uri: "/api/stations", method: .get, headers: [.authorization: "Bearer guess-\(attempt)"]
                ) { response in
                    #expect(response.status == .unauthorized, "attempt \(attempt)")
                }
            }
            clock.withLock { $0 += 15_000 }
            try await client.execute(uri: "/api/stations", method: .get, headers: good) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "45")
                let message = try F.error(response.body)["message"] as? String
                #expect(message == "too many failed authentications from unknown; try again in 45 s")
            }
            clock.withLock { $0 += 45_000 }
            try await client.execute(uri: "/api/stations", method: .get, headers: good) { response in
                #expect(response.status == .ok, "the window is over")
            }
        }
    }

    @Test("with read: token, reading needs a reader's or officer's token")
    func readingNeedsToken() async throws {
        let context = try F.context(access: AccessPolicy(openReading: false, tokens: [F.officer, F.reader]))
        try await withAPI(context) { client in
            for uri in ["/api/stations", "/api/warnings", "/api/stations/cau-lau/readings", "/api/events"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unauthorized, "\(uri)")
                }
            }
            try await client.execute(
                uri: "/api/stations", method: .get, headers: [.authorization: "Bearer \(F.reader.secret)"]
            ) { response in
                #expect(response.status == .ok)
            }
            // Health and the page stay open: monitoring and the login screen need them.
            try await client.execute(uri: "/healthz", method: .get) { response in #expect(response.status == .ok) }
        }
    }

    @Test("healthz, readyz (503 saying what is wrong), metrics, the OpenAPI description and the page")
    func system() async throws {
        let context = try F.context(readiness: { APIServer.Readiness(brokerProblem: "not connected to 127.0.0.1:1883") }
        )
        try await withAPI(context) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                let body = try F.json(response.body)
                #expect(body["status"] as? String == "ok")
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let body = try F.json(response.body)
                #expect(body["broker"] as? String == "not connected to 127.0.0.1:1883")
                #expect(body["database"] as? String == "writable")
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(String(buffer: response.body).contains("floodwatch_readings_stored_total 1728"))
            }
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(String(buffer: response.body).hasPrefix("openapi: 3.1.0"))
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(String(buffer: response.body).contains("FloodWatch"))
            }
        }
        try await withAPI { client in
            try await client.execute(uri: "/readyz", method: .get) { response in #expect(response.status == .ok) }
        }
    }

    @Test("every route is described in openapi.yaml, and everything described is a route")
    func openAPIMatchesRoutes() throws {
        let router = APIServer.router(try F.context())
        let routes = Set(
            router.routes.map { route in
                let path = route.path.description.split(separator: "/").map { part in
                    part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
                }
                return "\(route.method.rawValue) /" + path.joined(separator: "/")
            })
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Sources/HTTPAPI/Resources/openapi.yaml")
        let spec = try #require(try Yams.load(yaml: String(contentsOf: url, encoding: .utf8)) as? [String: Any])
        let paths = try #require(spec["paths"] as? [String: [String: Any]])
        let described = Set(
            paths.flatMap { path, operations in
                operations.keys.filter { ["get", "post", "put", "delete", "patch"].contains($0) }.map {
                    "\($0.uppercased()) \(path)"
                }
            })
        #expect(
            routes == described,
            "only routed: \(routes.subtracting(described)); only described: \(described.subtracting(routes))")
    }
}

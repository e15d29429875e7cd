import Alerts
import Gauges
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import Warnings

/// `GET /api/areas` and the stations' risk levels: what the page's map and colours are drawn from.
@Suite("Areas API")
struct AreaRoutesTests {
    typealias F = APIFixture

    /// The fixture's stations, Trà My standing in xã Trà My; xã Trà Liên has no known centre.
    static let catalogue: StationCatalogue = {
        var traMy = F.traMy
        traMy.area = "tra-my"
        return StationCatalogue(
            stations: [traMy, F.nongSon, F.cauLau],
            areas: [
                Area(
                    id: "tra-my", name: "Trà My", kind: .commune, formerly: ["thị trấn Trà My", "Trà Sơn"],
                    centre: Coordinate(latitude: 15.38, longitude: 108.23), approximate: true, landslideRisk: .high),
                Area(id: "tra-lien", name: "Trà Liên", kind: .commune),
            ],
            riskZone: 3)
    }()

    @Test("each commune carries the official risk level its active warnings state, never a rule's level")
    func areasCarryRiskLevels() async throws {
        let database = try F.database()
        // At Trà My: a landslide warning stating risk level 1, and a heavy-rain warning at rule level 3, which
        // states no risk level.
        let landslide = WarningEvent(
            station: "tra-my", sensor: .rain, rule: .landslide, kind: .raised, level: 1, timestamp: F.now - 600_000,
            value: 150, threshold: 100, riskLevel: 1, area: "tra-my", messageVI: "Nguy cơ lũ quét",
            messageEN: "Flash flood risk")
        let rain = WarningEvent(
            station: "tra-my", sensor: .rain, rule: .rain, kind: .raised, level: 3, timestamp: F.now - 300_000,
            value: 210, threshold: 200, area: "tra-my", messageVI: "Mưa lớn", messageEN: "Heavy rain")
        try database.store(EngineResult(events: [landslide, rain]), createdAt: F.now)
        let context = APIServer.Context(
            database: database, catalogue: Self.catalogue, alertSettings: AlertSettings(), clock: .fixed(F.now))
        let app = Application(router: APIServer.router(context))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/areas", method: .get) { response in
                #expect(response.status == .ok)
                let body = try F.json(response.body)
                #expect(body["risk_zone"] as? Int == 3)
                let areas = try #require(body["areas"] as? [[String: Any]])
                #expect(areas.compactMap { $0["id"] as? String } == ["tra-my", "tra-lien"])
                #expect(areas[0]["full_name"] as? String == "xã Trà My")
                #expect(areas[0]["lat"] as? Double == 15.38 && areas[0]["approximate"] as? Bool == true)
                #expect(areas[0]["landslide_risk"] as? String == "high")
                #expect(areas[0]["risk_level"] as? Int == 1, "the landslide warning's, not the rain rule's 3")
                #expect((areas[0]["warnings"] as? [Int])?.count == 2)
                #expect(areas[1]["risk_level"] == nil && areas[1]["lat"] == nil)
                #expect(areas[1]["warnings"] as? [Int] == [])
            }
            try await client.execute(uri: "/api/stations", method: .get) { response in
                let stations = try #require(try F.json(response.body)["stations"] as? [[String: Any]])
                let traMy = try #require(stations.first { $0["id"] as? String == "tra-my" })
                #expect(traMy["area"] as? String == "tra-my" && traMy["kind"] as? String == "gauge")
                #expect(traMy["warning_level"] as? Int == 3)
                #expect(traMy["risk_level"] as? Int == 1)
                let cauLau = try #require(stations.first { $0["id"] as? String == "cau-lau" })
                #expect(cauLau["warning_level"] as? Int == 2)
                #expect(cauLau["risk_level"] == nil, "its level warning states no risk level: no flood_zone")
            }
        }
    }
}

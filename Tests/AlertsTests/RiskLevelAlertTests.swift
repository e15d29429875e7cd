import Alerts
import Foundation
import Gauges
import Testing
import Warnings

/// What officers and systems receive of the official risk level: the notice JSON (MQTT, webhooks), CAP parameters,
/// and a landslide warning classified as such.
@Suite("Risk levels in alerts")
struct RiskLevelAlertTests {
    typealias F = CAPFixtures

    static let catalogue = StationCatalogue(
        stations: [
            Station(
                id: "tra-kot", name: "Trà Kót", river: "Tranh", latitude: 15.34, longitude: 108.41, area: "tra-lien",
                sensors: [F.rain])
        ],
        areas: [Area(id: "tra-lien", name: "Trà Liên", kind: .commune, landslideRisk: .high)], riskZone: 3)

    static func landslide(risk: Int?) -> Notice {
        let event = WarningEvent(
            station: "tra-kot", sensor: .rain, rule: .landslide, kind: .raised, level: 1, timestamp: F.molave,
            value: 150, threshold: 100, windowSeconds: 86_400, riskLevel: risk, area: "tra-lien",
            messageVI: "Nguy cơ lũ quét, sạt lở đất tại xã Trà Liên: … Cấp độ rủi ro thiên tai: cấp 1",
            messageEN: "Risk of flash floods and landslides in Trà Liên commune: … Natural disaster risk level: 1")
        return F.notice(event: event)
    }

    @Test("the notice JSON carries the risk level and the commune; without one, no risk_level key")
    func json() throws {
        let body = AlertBody(Self.landslide(risk: 1), catalogue: Self.catalogue, settings: F.settings).json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(object["risk_level"] as? Int == 1)
        #expect(object["area"] as? String == "tra-lien")
        #expect(object["area_name"] as? String == "xã Trà Liên")
        #expect(object["rule"] as? String == "landslide")
        let undetermined = AlertBody(Self.landslide(risk: nil), catalogue: Self.catalogue, settings: F.settings).json()
        let other = try #require(try JSONSerialization.jsonObject(with: Data(undetermined)) as? [String: Any])
        #expect(other["risk_level"] == nil && other["area"] as? String == "tra-lien")
    }

    @Test("CAP: a landslide warning is Geo, Likely, with the risk level and the commune as parameters; it validates")
    func cap() throws {
        let text = try #require(
            CAPDocument.render(Self.landslide(risk: 1), catalogue: Self.catalogue, settings: F.settings))
        try XMLLint.expectValidCAP(text)
        let alert = try XMLNode.parse(text)
        let info = try #require(alert.all("info").first)
        #expect(info.value("category") == "Geo")
        #expect(info.value("certainty") == "Likely")
        let parameters = Dictionary(
            uniqueKeysWithValues: info.all("parameter").compactMap { parameter in
                parameter.value("valueName").map { ($0, parameter.value("value") ?? "") }
            })
        #expect(parameters["risk_level"] == "1")
        #expect(parameters["area"] == "tra-lien")
        #expect(
            NoticeTitle.rule(.landslide, level: 2).vi == "Cảnh báo nguy cơ lũ quét, sạt lở đất", "no rule level shown")
    }
}

import Foundation
import GRDB
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The operations centre's page in headless Chromium, against the `serve` binary fed simulated gauges over MQTT.
@Suite("The page in a browser", .timeLimit(.minutes(3)), .blockingAllowed, .takingTurns)
struct DashboardPageTests {
    /// Where the screenshots are kept after the run (ignored by git).
    static let artefacts = TestPaths.root + "/.test-artifacts"

    /// The bundled catalogue with two TEST values no public source gives (so that risk levels can be stated): Câu Lâu
    /// in flood zone (khu vực) 3 for Article 45, and xã Trà Liên in a high landslide-risk zone for Article 46.
    static func catalogueWithTestZones() throws -> String {
        var text = try String(contentsOfFile: TestPaths.catalogue, encoding: .utf8)
        for (anchor, added) in [
            ("  - id: cau-lau\n", "    flood_zone: 3\n"),
            ("    formerly: [Trà Đông, Trà Nú, Trà Kót]\n", "    landslide_risk: high\n"),
        ] {
            let parts = text.components(separatedBy: anchor)
            guard parts.count == 2 else { throw TestFailure("'\(anchor)' is not once in the bundled catalogue") }
            if anchor.hasPrefix("  - id:") {
                // After the station's id line and its name line.
                let lines = parts[1].split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
                text = parts[0] + anchor + lines[0] + "\n" + added + lines[1]
            } else {
                text = parts[0] + anchor + added + parts[1]
            }
        }
        let path = try TestPaths.temporaryDirectory("page-catalogue") + "/stations.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// What the page shows, read in the browser: element ids with their levels and their computed colours.
    static let probe = """
        (() => {
          const colour = v => { const d = document.createElement('div'); d.style.backgroundColor = `var(${v})`;
            document.body.appendChild(d); const c = getComputedStyle(d).backgroundColor; d.remove(); return c; };
          return JSON.stringify({
            stations: [...document.querySelectorAll('#stations .station')].map(e => e.dataset.stationId),
            text: document.querySelector('#stations').innerText,
            alarmLines: [...document.querySelectorAll('#hydrograph .alarm-line')].map(e => e.dataset.level),
            alarmStrokes: [...document.querySelectorAll('#hydrograph .alarm-line')].map(e => getComputedStyle(e).stroke),
            levelLine: document.querySelectorAll('#hydrograph .level-line').length,
            rainBars: document.querySelectorAll('#hydrograph .rain-bar').length,
            warnings: [...document.querySelectorAll('#warnings .warning')].map(e => ({
              station: e.dataset.stationId, level: e.dataset.level, risk: e.dataset.riskLevel,
              background: getComputedStyle(e).backgroundColor })),
            cards: Object.fromEntries([...document.querySelectorAll('#stations .station')].map(e => [e.dataset.stationId, {
              risk: e.dataset.riskLevel, warning: e.dataset.warningLevel, background: getComputedStyle(e).backgroundColor }])),
            areas: Object.fromEntries([...document.querySelectorAll('#map .area')].map(g => [g.dataset.areaId, {
              risk: g.dataset.riskLevel, fill: getComputedStyle(g.querySelector('.area-shape')).fill,
              warned: g.classList.contains('warned') }])),
            mapStations: [...document.querySelectorAll('#map .gauge-mark')].map(g => g.dataset.stationId),
            legend: document.querySelector('#map-legend').innerText,
            risk: [1, 2, 3, 4, 5].map(n => colour('--r' + n)),
            neutral: colour('--none'),
            live: document.querySelector('#live').dataset.state
          });
        })()
        """

    /// Opens the page in headless Chromium, keeps a screenshot, and returns what `probe` read.
    static func look(at url: String, screenshot name: String) throws -> [String: Any] {
        try FileManager.default.createDirectory(atPath: artefacts, withIntermediateDirectories: true)
        let screenshot = artefacts + "/" + name
        try? FileManager.default.removeItem(atPath: screenshot)
        let browser = try ChildProcess(
            "/usr/bin/python3",
            [
                TestPaths.root + "/Tests/Fixtures/headless_browser.py", url, "--size", "1920x1080", "--wait", "6",
                "--shot", screenshot, "--eval", probe,
            ],
            outputPath: try TestPaths.temporaryDirectory("browser") + "/browser.log")
        guard browser.waitForExit(timeoutSeconds: 90) == 0 else { throw TestFailure("browser: \(browser.output)") }
        guard !browser.output.contains("EXCEPTION") else { throw TestFailure("page error: \(browser.output)") }
        guard let line = browser.output.split(separator: "\n").first(where: { $0.hasPrefix("eval: ") }),
            let encoded = try JSONSerialization.jsonObject(
                with: Data(line.dropFirst(6).utf8), options: .fragmentsAllowed) as? String,
            let page = try JSONSerialization.jsonObject(with: Data(encoded.utf8)) as? [String: Any]
        else { throw TestFailure("no probe result: \(browser.output)") }
        #expect(FileManager.default.fileExists(atPath: screenshot), "the screenshot is kept at \(screenshot)")
        return page
    }

    @Test("stations, the hydrograph, warnings, and the map, coloured by official risk levels alone")
    func pageShowsTheFlood() async throws {
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker, stations: try Self.catalogueWithTestZones())
        let process = try await service.start()
        // Simulated gauges, every 5 minutes up to now. Câu Lâu rises through BĐ I and II over 12 hours; rain falls at
        // Trà My (a heavy-rain warning, a rule level with no official risk level) and Câu Lâu; Hội An stays low.
        // Trà Kót, in xã Trà Liên, has had light rain for a day: not yet a flash-flood risk.
        let publisher = try broker.publisher()
        let now = Int64(Date().timeIntervalSince1970) / 300 * 300
        for index in 0..<144 {
            let ts = now - Int64(143 - index) * 300
            let rain = index > 60 && index < 120 ? 4.5 : 0.2
            for (topic, value) in [
                ("gauges/cau-lau/level", 1.0 + Double(index) * 0.017), ("gauges/cau-lau/rain", rain),
                ("gauges/tra-my/rain", rain * 2), ("gauges/hoi-an/level", 0.6),
            ] {
                try publisher.publish(topic: topic, text: #"{"ts":\#(ts),"value":\#(value)}"#)
            }
        }
        for index in 0..<288 {
            let ts = now - 36 * 3600 + Int64(index) * 300
            try publisher.publish(topic: "gauges/tra-kot/rain", text: #"{"ts":\#(ts),"value":0.1}"#)
        }
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 20))
        #expect(
            try await eventually {
                try service.query {
                    try Int.fetchOne(
                        $0,
                        sql:
                            "SELECT COUNT(*) FROM active_warnings WHERE station = 'cau-lau' AND rule = 'level' AND level = 2"
                    )
                } == 1
            })
        let url = "http://127.0.0.1:\(service.httpPort)/#station=cau-lau&range=24h"
        let before = try Self.look(at: url, screenshot: "dashboard.png")
        let risk = try #require(before["risk"] as? [String])
        let neutral = try #require(before["neutral"] as? String)
        #expect(Set(risk).count == 5 && !risk.contains(neutral), "five distinct risk colours: \(risk)")

        let stations = try #require(before["stations"] as? [String])
        #expect(stations.count == 15)
        // Along each river from upstream to the sea: Nông Sơn before Giao Thủy before Câu Lâu before Hội An.
        let thuBon = stations.filter { ["nong-son", "giao-thuy", "cau-lau", "hoi-an"].contains($0) }
        #expect(thuBon == ["nong-son", "giao-thuy", "cau-lau", "hoi-an"])
        #expect((before["text"] as? String)?.contains("Câu Lâu") == true)
        #expect(before["alarmLines"] as? [String] == ["1", "2", "3"], "BĐ I, II and III drawn: \(before)")
        #expect(
            (before["alarmStrokes"] as? [String] ?? []).allSatisfy { !risk.contains($0) },
            "alarm lines are not drawn in risk colours")
        #expect(before["levelLine"] as? Int ?? 0 >= 1)
        #expect(before["rainBars"] as? Int ?? 0 > 0)
        #expect(before["live"] as? String == "live")

        // Câu Lâu at BĐ II in flood zone 3: Article 45 risk level 2, in its colour. Trà My's heavy-rain warning is a
        // rule level 3 with no official risk level: its card keeps no risk colour.
        let cards = try #require(before["cards"] as? [String: [String: String]])
        #expect(cards["cau-lau"]?["risk"] == "2" && cards["cau-lau"]?["background"] == risk[1], "\(cards)")
        #expect(cards["tra-my"]?["warning"] == "3" && cards["tra-my"]?["risk"] == "0", "\(cards)")
        #expect(!risk.contains(cards["tra-my"]?["background"] ?? ""), "\(cards)")
        let warnings = try #require(before["warnings"] as? [[String: String]])
        #expect(warnings.contains { $0["station"] == "cau-lau" && $0["level"] == "2" && $0["risk"] == "2" })
        #expect(warnings.filter { $0["risk"] == "0" }.allSatisfy { !risk.contains($0["background"] ?? "") })

        // The map: the five communes, the district's gauges and Sông Tranh 2; nothing states a risk level there yet.
        var areas = try #require(before["areas"] as? [String: [String: Any]])
        #expect(Set(areas.keys) == ["tra-my", "tra-lien", "tra-giap", "tra-tan", "tra-doc"])
        #expect(
            areas.values.allSatisfy { $0["risk"] as? String == "0" && $0["fill"] as? String == neutral }, "\(areas)")
        #expect(areas["tra-my"]?["warned"] as? Bool == true, "Trà My's rain warning marks its commune, uncoloured")
        #expect(
            Set(before["mapStations"] as? [String] ?? [])
                == ["tra-my", "tra-duong", "tra-kot", "tra-giac", "tra-bui", "tra-doc", "song-tranh-2"])
        #expect((before["legend"] as? String)?.contains("xanh dương nhạt") == true, "\(before["legend"] ?? "")")

        // 150 mm in 12 hours at Trà Kót after a day of rain: in a high-risk zone of khu vực 3 that is risk level 1
        // (Article 46, clause 1 a). Xã Trà Liên's fill turns light blue.
        for index in 0..<144 {
            let ts = now - Int64(143 - index) * 300
            try publisher.publish(topic: "gauges/tra-kot/rain", text: #"{"ts":\#(ts),"value":1.05}"#)
        }
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 20))
        #expect(
            try await eventually {
                try service.query {
                    try Int.fetchOne(
                        $0,
                        sql: """
                            SELECT COUNT(*) FROM active_warnings
                            WHERE station = 'tra-kot' AND rule = 'landslide' AND risk_level = 1
                            """)
                } == 1
            })
        let after = try Self.look(at: url, screenshot: "dashboard-landslide.png")
        areas = try #require(after["areas"] as? [String: [String: Any]])
        #expect(areas["tra-lien"]?["risk"] as? String == "1" && areas["tra-lien"]?["fill"] as? String == risk[0])
        #expect(areas["tra-giap"]?["fill"] as? String == neutral)
        let later = try #require(after["cards"] as? [String: [String: String]])
        #expect(later["tra-kot"]?["risk"] == "1" && later["tra-kot"]?["background"] == risk[0], "\(later)")

        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)
    }
}

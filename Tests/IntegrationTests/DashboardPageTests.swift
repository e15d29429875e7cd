import Foundation
import GRDB
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The operations centre's page in headless Chromium, against the `serve` binary fed simulated gauges over MQTT.
@Suite("The page in a browser", .timeLimit(.minutes(3)), .blockingAllowed)
struct DashboardPageTests {
    /// Where the screenshot is kept after the run (ignored by git).
    static let artefacts = TestPaths.root + "/.test-artifacts"

    @Test("stations, the hydrograph with its alarm lines and an active warning are on screen")
    func pageShowsTheFlood() async throws {
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker)
        let process = try await service.start()
        // Simulated gauges: 12 hours of readings every 5 minutes up to now. Câu Lâu rises through BĐ I and II,
        // rain falls at Trà My and Câu Lâu, Hội An stays low.
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

        try FileManager.default.createDirectory(atPath: Self.artefacts, withIntermediateDirectories: true)
        let screenshot = Self.artefacts + "/dashboard.png"
        try? FileManager.default.removeItem(atPath: screenshot)
        let probe = """
            JSON.stringify({
              stations: [...document.querySelectorAll('#stations .station')].map(e => e.dataset.stationId),
              text: document.querySelector('#stations').innerText,
              alarmLines: [...document.querySelectorAll('#hydrograph .alarm-line')].map(e => e.dataset.level),
              levelLine: document.querySelectorAll('#hydrograph .level-line').length,
              rainBars: document.querySelectorAll('#hydrograph .rain-bar').length,
              warnings: [...document.querySelectorAll('#warnings .warning')].map(e => e.dataset.stationId + ':' + e.dataset.level),
              live: document.querySelector('#live').dataset.state
            })
            """
        let browser = try ChildProcess(
            "/usr/bin/python3",
            [
                TestPaths.root + "/Tests/Fixtures/headless_browser.py",
                "http://127.0.0.1:\(service.httpPort)/#station=cau-lau&range=24h", "--size", "1400x1000", "--wait", "6",
                "--shot", screenshot, "--eval", probe,
            ],
            outputPath: try TestPaths.temporaryDirectory("browser") + "/browser.log")
        #expect(browser.waitForExit(timeoutSeconds: 90) == 0, "\(browser.output)")
        let line = try #require(
            browser.output.split(separator: "\n").first { $0.hasPrefix("eval: ") }, "\(browser.output)")
        let encoded = try #require(
            try JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8), options: .fragmentsAllowed) as? String)
        let page = try #require(try JSONSerialization.jsonObject(with: Data(encoded.utf8)) as? [String: Any])

        let stations = try #require(page["stations"] as? [String])
        #expect(stations.count == 15)
        // Along each river from upstream to the sea: Nông Sơn before Giao Thủy before Câu Lâu before Hội An.
        let thuBon = stations.filter { ["nong-son", "giao-thuy", "cau-lau", "hoi-an"].contains($0) }
        #expect(thuBon == ["nong-son", "giao-thuy", "cau-lau", "hoi-an"])
        #expect((page["text"] as? String)?.contains("Câu Lâu") == true)
        #expect(page["alarmLines"] as? [String] == ["1", "2", "3"], "BĐ I, II and III drawn: \(page)")
        #expect(page["levelLine"] as? Int ?? 0 >= 1)
        #expect(page["rainBars"] as? Int ?? 0 > 0)
        #expect((page["warnings"] as? [String])?.contains("cau-lau:2") == true, "\(page)")
        #expect(page["live"] as? String == "live")
        #expect(!browser.output.contains("EXCEPTION"), "\(browser.output)")
        #expect(FileManager.default.fileExists(atPath: screenshot), "the screenshot is kept at \(screenshot)")

        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)
    }
}

import Catalogue
import Foundation
import GRDB
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The bulletin end to end: a recorded flood replayed into a database by the real binary, `floodwatch bulletin` on
/// it, and `floodwatch serve` answering `GET /bulletin` to headless Chromium, which also prints it to PDF.
@Suite("The bulletin in a browser and on paper", .timeLimit(.minutes(3)), .blockingAllowed, .takingTurns)
struct BulletinPageTests {
    /// 02:30 on 11 Oct 2022, in the night of the Thu Bồn flood: levels rising through BĐ II and III, forecasts open,
    /// Nông Sơn and Hội An about to reach BĐ III, Sông Tranh 2 silent since its last published figures.
    static let at = "2022-10-11T02:30:00+07:00"
    static let atMilliseconds: Int64 = 1_665_430_200_000

    /// What the page shows, read in the browser.
    static let probe = """
        (() => JSON.stringify({
          stations: [...new Set([...document.querySelectorAll('[data-station]')].map(e => e.dataset.station))],
          levelRows: [...document.querySelectorAll('#levels tr[data-station]')].map(e => e.dataset.station),
          warnings: [...document.querySelectorAll('#warnings tr[data-warning-id]')].map(e => Number(e.dataset.warningId)),
          risks: [...document.querySelectorAll('#risk-levels tr.risk')].map(e => e.innerText),
          outlook: document.querySelector('#outlook').innerText,
          text: document.body.innerText,
          width: document.documentElement.scrollWidth,
          scripts: document.scripts.length
        }))()
        """

    /// Runs `floodwatch` with the arguments and returns its output, failing on a non-zero exit.
    static func floodwatch(_ arguments: [String], log: String) throws -> String {
        let process = try ChildProcess(try TestPaths.executable("floodwatch"), arguments, outputPath: log)
        guard process.waitForExit(timeoutSeconds: 60) == 0 else {
            throw TestFailure("floodwatch \(arguments.first ?? ""): \(process.output.suffix(3000))")
        }
        return process.output
    }

    /// The warnings active at T, worked out here from every stored row: per (station, sensor, rule) the latest event
    /// at or before T that is not an acknowledgement, when its level is above 0.
    static func expectedActiveWarnings(database: String, at time: Int64) throws -> Set<Int64> {
        let queue = try DatabaseQueue(path: database)
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, warning_id, station, sensor, rule, event, level, ts FROM warnings")
        }
        var latest: [String: Row] = [:]
        for row in rows where (row["ts"] as Int64) <= time && (row["event"] as String) != "acknowledged" {
            let key = "\(row["station"] as String)/\(row["sensor"] as String)/\(row["rule"] as String)"
            if let kept = latest[key], (kept["id"] as Int64) > (row["id"] as Int64) { continue }
            latest[key] = row
        }
        return Set(latest.values.filter { ($0["level"] as Int) > 0 }.map { $0["warning_id"] as Int64 })
    }

    @Test("every station and every warning active at the time asked, on two A4 pages, and the same in text")
    func bulletinPage() async throws {
        let stations = try DashboardPageTests.catalogueWithTestZones()
        let catalogue = try CatalogueLoader.load(path: stations)
        let folder = try TestPaths.temporaryDirectory("bulletin")
        let database = folder + "/floodwatch.sqlite"
        _ = try Self.floodwatch(
            [
                "replay", "--stations", stations, "--input", TestPaths.root + "/sensors/floods/thu-bon-2022-10-11.csv",
                "--interpolate", "15m", "--database", database,
            ], log: folder + "/replay.log")
        let expected = try Self.expectedActiveWarnings(database: database, at: Self.atMilliseconds)
        #expect(expected.count >= 8, "the night's warnings: \(expected)")
        // The replay runs to 08:00: what is active at its end differs, so a page that ignored T would show.
        #expect(try Self.expectedActiveWarnings(database: database, at: .max) != expected)

        // The command, before the service runs.
        let text = try Self.floodwatch(
            ["bulletin", "--database", database, "--stations", stations, "--at", Self.at, "--format", "text"],
            log: folder + "/bulletin.log")
        #expect(text.hasPrefix("BẢN TIN TÌNH HÌNH MƯA LŨ\nlúc 02:30 ngày 11/10/2022\n"))
        #expect(text.contains("FLOOD SITUATION REPORT\nat 02:30 on 11 Oct 2022\n"))
        for station in catalogue.stations {
            #expect(text.components(separatedBy: station.name).count - 1 >= 2, "\(station.name) in both languages")
        }
        #expect(text.contains("   - Câu Lâu 3,74 m, trên báo động II 0,74 m, đang lên (lúc 02:30 ngày 11/10)"))
        #expect(text.contains("   - Cẩm Lệ: không có số liệu"))
        #expect(
            text.contains(
                "   - Cấp độ rủi ro thiên tai do lũ, ngập lụt tại Câu Lâu (Thu Bồn): cấp 2, màu vàng nhạt (rủi ro "
                    + "trung bình)"))
        #expect(!text.lowercased().contains("dự báo"), "trend estimates, never forecasts")

        // The service on the same database.
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker, databaseFolder: folder, stations: stations)
        let process = try await service.start()
        let pdf = DashboardPageTests.artefacts + "/bulletin.pdf"
        try FileManager.default.createDirectory(atPath: DashboardPageTests.artefacts, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: pdf)
        // 186 mm, the width between the page's margins on A4, at 96 px per inch.
        let browser = try ChildProcess(
            "/usr/bin/python3",
            [
                TestPaths.root + "/Tests/Fixtures/headless_browser.py",
                "http://127.0.0.1:\(service.httpPort)/bulletin?at=2022-10-11T02:30:00%2B07:00", "--size", "703x1000",
                "--wait", "2", "--eval", Self.probe, "--shot", DashboardPageTests.artefacts + "/bulletin.png", "--pdf",
                pdf,
            ],
            outputPath: folder + "/browser.log")
        guard browser.waitForExit(timeoutSeconds: 90) == 0 else { throw TestFailure("browser: \(browser.output)") }
        guard let line = browser.output.split(separator: "\n").first(where: { $0.hasPrefix("eval: ") }),
            let encoded = try JSONSerialization.jsonObject(
                with: Data(line.dropFirst(6).utf8), options: .fragmentsAllowed) as? String,
            let page = try JSONSerialization.jsonObject(with: Data(encoded.utf8)) as? [String: Any]
        else { throw TestFailure("no probe result: \(browser.output)") }
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)

        #expect(Set(page["stations"] as? [String] ?? []) == Set(catalogue.stations.map(\.id)))
        #expect(
            page["levelRows"] as? [String] == [
                "hoi-khach", "ai-nghia", "nong-son", "giao-thuy", "cau-lau", "hoi-an", "cam-le", "tam-ky",
            ])
        let pageText = page["text"] as? String ?? ""
        for station in catalogue.stations {
            #expect(pageText.contains(station.name), "\(station.name)")
        }
        let shown = page["warnings"] as? [Int] ?? []
        #expect(Set(shown.map(Int64.init)) == expected, "those active at T, none of later")
        #expect(shown.count == expected.count)
        #expect(
            page["risks"] as? [String] == ["Câu Lâu (Thu Bồn)\tLũ, ngập lụt\tcấp 2, màu vàng nhạt (rủi ro trung bình)"])
        #expect(
            (page["outlook"] as? String)?.contains("ước tính theo xu thế, mực nước có thể đạt báo động III") == true)
        #expect(page["width"] as? Int == 703, "nothing wider than A4 between the margins")
        #expect(page["scripts"] as? Int == 0)

        // Printed: A4 portrait (595 × 842 pt), two pages.
        let document = try Data(contentsOf: URL(fileURLWithPath: pdf))
        let raw = String(decoding: document, as: UTF8.self)
        let pages =
            raw.components(separatedBy: "/Type /Page").count - 1
            - (raw.components(separatedBy: "/Type /Pages").count - 1)
        #expect(pages == 2, "the PDF is kept at \(pdf)")
        let boxes = raw.components(separatedBy: "/MediaBox [").dropFirst().map { $0.prefix { $0 != "]" } }
        #expect(boxes.count == pages)
        for box in boxes {
            let numbers = box.split(separator: " ").compactMap { Double($0) }
            #expect(numbers.count == 4 && abs(numbers[2] - 595) < 1 && abs(numbers[3] - 842) < 1, "\(box)")
        }
    }
}

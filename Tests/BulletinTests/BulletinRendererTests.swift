import Bulletin
import Foundation
import Testing

/// What a reader sees in the e-mail text, the webhook's JSON and the printed page.
@Suite("Bulletin renderers")
struct BulletinRendererTests {
    typealias F = MolaveFixture

    static func bulletin() async throws -> Bulletin {
        try await BulletinBuilder.build(database: try F.database(), catalogue: F.catalogue, at: F.t)
    }

    @Test("text: Vietnamese first, then English; numbered sections, one line per item")
    func text() async throws {
        let text = try await Self.bulletin().text()
        let lines = text.components(separatedBy: "\n")
        #expect(lines.first == "BẢN TIN TÌNH HÌNH MƯA LŨ")
        #expect(lines.dropFirst().first == "lúc 21:00 ngày 28/10/2020")
        let english = try #require(lines.firstIndex(of: "FLOOD SITUATION REPORT"))
        #expect(lines[english + 1] == "at 21:00 on 28 Oct 2020")
        let vietnamese = lines[..<english]
        for heading in [
            "1. Mực nước", "2. Đỉnh lũ", "3. Lượng mưa", "4. Hồ chứa", "5. Cảnh báo đang có hiệu lực",
            "6. Cấp độ rủi ro thiên tai", "7. Xu thế (ước tính theo xu thế)",
        ] {
            #expect(vietnamese.contains(heading), "\(heading)")
        }
        #expect(
            vietnamese.contains(
                "   - Tam Kỳ 1,05 m, dưới báo động I 0,65 m, biến đổi chậm (lúc 21:00 ngày 28/10)"))
        #expect(vietnamese.contains("   - Cẩm Lệ: không có số liệu"))
        #expect(
            vietnamese.contains {
                $0.hasPrefix("   - [mức 3] Ái Nghĩa (Vu Gia): 9,00 m") && $0.hasSuffix("(đã xác nhận: Trực ban)")
            })
        #expect(
            vietnamese.contains(
                "   - Cấp độ rủi ro thiên tai do lũ, ngập lụt tại Ái Nghĩa (Vu Gia): cấp 3, màu da cam (rủi ro lớn)"))
        let englishPart = lines[english...]
        #expect(englishPart.contains("1. Water levels"))
        #expect(
            englishPart.contains(
                "   - Tam Kỳ 1.05 m, 0.65 m below alarm level I, steady (at 21:00 on 28 Oct)"))
        #expect(englishPart.contains { $0.hasPrefix("   - [level 1] EN Nguy cơ lũ quét") })
        for name in F.catalogue.stations.map(\.name) {
            #expect(vietnamese.contains { $0.contains(name) } && englishPart.contains { $0.contains(name) }, "\(name)")
        }
    }

    @Test("JSON: documented field names, times as RFC 3339 UTC with local text, both languages")
    func json() async throws {
        let bulletin = try await Self.bulletin()
        let data = bulletin.json()
        #expect(data == bulletin.json(), "the same bytes every time")
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(document["format"] as? String == "floodwatch-bulletin" && document["version"] as? Int == 1)
        let time = try #require(document["time"] as? [String: String])
        #expect(time == ["utc": "2020-10-28T14:00:00Z", "local": "28/10/2020 21:00"])
        #expect(document["active_warnings"] as? Bool == true)
        #expect((document["title"] as? [String: String])?["en"] == "Flood situation report")

        let levels = try #require(document["levels"] as? [[String: Any]])
        #expect(
            levels.compactMap { $0["station"] as? String } == [
                "ai-nghia", "nong-son", "giao-thuy", "cau-lau", "cam-le", "tam-ky",
            ])
        let aiNghia = levels[0]
        #expect(aiNghia["value_m"] as? Double == 9.26 || abs((aiNghia["value_m"] as? Double ?? 0) - 9.26) < 1e-9)
        #expect(aiNghia["status"] as? String == "current" && aiNghia["trend"] as? String == "rising")
        let standing = try #require(aiNghia["standing"] as? [String: Any])
        #expect(standing["alarm_level"] as? Int == 3 && standing["alarm_difference_m"] as? Double == 0.26)
        #expect(standing["record_year"] as? Int == 2009 && standing["record_difference_m"] as? Double == -1.51)
        #expect((aiNghia["time"] as? [String: String])?["utc"] == "2020-10-28T14:00:00Z")
        #expect(
            (aiNghia["text"] as? [String: String])?["vi"]
                == "Ái Nghĩa 9,26 m, trên báo động III 0,26 m, thấp hơn lũ lịch sử năm 2009 1,51 m, đang lên (lúc 21:00 "
                + "ngày 28/10)")
        #expect(levels[1]["status"] as? String == "stale" && levels[4]["status"] as? String == "none")
        #expect(levels[4]["value_m"] == nil && levels[4]["time"] == nil)

        let rain = try #require((document["rain"] as? [[String: Any]])?.first)
        #expect(rain["area"] as? String == "tra-lien")
        #expect((rain["area_name"] as? [String: String])?["vi"] == "xã Trà Liên")
        let totals = try #require(rain["totals"] as? [[String: Any]])
        #expect(totals.compactMap { $0["hours"] as? Int } == [24, 6, 3])
        #expect(totals.compactMap { $0["mm"] as? Double } == [120, 30, 15])

        let reservoir = try #require((document["reservoirs"] as? [[String: Any]])?.first)
        let figures = try #require(reservoir["figures"] as? [[String: Any]])
        #expect(figures.compactMap { $0["sensor"] as? String } == ["level", "inflow", "outflow"])
        #expect(figures.last?["value"] as? Double == 1500 && figures.last?["unit"] as? String == "m3/s")

        let warnings = try #require(document["warnings"] as? [[String: Any]])
        #expect(warnings.compactMap { $0["rule"] as? String } == ["forecast", "level", "level", "landslide"])
        #expect(warnings[1]["acknowledged_by"] as? String == "Trực ban")
        #expect(warnings[1]["risk_level"] as? Int == 3)
        #expect((warnings[1]["raised_at"] as? [String: String])?["local"] == "28/10/2020 20:00")

        let risks = try #require(document["risk_levels"] as? [[String: Any]])
        #expect(risks.compactMap { $0["risk_level"] as? Int } == [3, 1])
        #expect(risks.compactMap { ($0["colour"] as? [String: String])?["vi"] } == ["da cam", "xanh dương nhạt"])
        #expect(risks.compactMap { $0["hazard"] as? String } == ["flood", "flash_flood_landslide"])
        #expect(risks[1]["place"] as? String == "tra-lien")

        let outlook = try #require((document["outlook"] as? [[String: Any]])?.first)
        #expect(outlook["target_alarm_level"] as? Int == 4 && outlook["target_m"] as? Double == 10.77)
        #expect((outlook["around"] as? [String: String])?["local"] == "28/10/2020 23:40")
        #expect((document["crests"] as? [[String: Any]])?.first?["value_m"] as? Double == 9.95)
    }

    @Test("HTML: self-contained, A4 portrait, every station and warning, risk levels in words beside the swatch")
    func html() async throws {
        let bulletin = try await Self.bulletin()
        let page = bulletin.html(.vietnamese, otherLanguage: "?lang=en")
        #expect(page.hasPrefix("<!doctype html>\n<html lang=\"vi\">"))
        #expect(page.contains("@page { size: A4;"))
        #expect(!page.contains("<script") && !page.contains("src=") && !page.contains("<link"))
        for station in F.catalogue.stations {
            #expect(page.contains("data-station=\"\(station.id)\""), "\(station.id)")
        }
        for warning in bulletin.warnings {
            #expect(page.contains("data-warning-id=\"\(warning.warningID)\""))
        }
        #expect(
            page.contains(
                "<tr data-station=\"cam-le\" data-status=\"none\"><td class=\"nw\">Cẩm Lệ</td><td class=\"nw\">Hàn</td>"
                    + "<td class=\"num\">—</td>"))
        #expect(
            page.contains(
                "<span class=\"swatch\" style=\"background-color: #ff9a3c\" title=\"da cam\"></span>"
                    + "<strong>cấp 3, màu da cam (rủi ro lớn)</strong>"))
        #expect(page.contains("<a href=\"?lang=en\">English</a>"))
        let english = bulletin.html(.english)
        #expect(english.contains("<html lang=\"en\">") && english.contains("<h1>Flood situation report</h1>"))
        #expect(english.contains("<strong>level 1, light blue (low risk)</strong>"))
    }
}

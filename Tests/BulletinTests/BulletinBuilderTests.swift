import Bulletin
import Gauges
import Storage
import Testing
import Warnings

/// The bulletin compiled from a real SQLite file at 21:00 on Molave's night: what an officer reads, to the word.
@Suite("Bulletin builder")
struct BulletinBuilderTests {
    typealias F = MolaveFixture

    static func bulletin(at time: Int64 = F.t) async throws -> Bulletin {
        try await BulletinBuilder.build(database: try F.database(), catalogue: F.catalogue, at: time)
    }

    @Test("every water-level station in the bulletins' words, along each river, with data at or before T only")
    func levels() async throws {
        let bulletin = try await Self.bulletin()
        #expect(bulletin.timeText.vi == "lúc 21:00 ngày 28/10/2020")
        #expect(bulletin.timeText.en == "at 21:00 on 28 Oct 2020")
        #expect(
            bulletin.levels.map(\.sentence.vi) == [
                "Ái Nghĩa 9,26 m, trên báo động III 0,26 m, thấp hơn lũ lịch sử năm 2009 1,51 m, đang lên (lúc 21:00 "
                    + "ngày 28/10)",
                "Nông Sơn: không có số liệu từ 17:00 ngày 28/10 (lần cuối 14,20 m, trên báo động II 1,20 m)",
                "Giao Thủy 9,69 m, trên báo động III 0,89 m, thấp hơn lũ lịch sử năm 1964 0,37 m, đang xuống (lúc 21:00 "
                    + "ngày 28/10)",
                "Câu Lâu 5,66 m, trên báo động III 1,66 m, trên lũ lịch sử năm 2025 0,05 m, đang lên (lúc 21:00 ngày "
                    + "28/10)",
                "Cẩm Lệ: không có số liệu",
                "Tam Kỳ 1,05 m, dưới báo động I 0,65 m, biến đổi chậm (lúc 21:00 ngày 28/10)",
            ])
        #expect(
            bulletin.levels.first?.sentence.en
                == "Ái Nghĩa 9.26 m, 0.26 m above alarm level III, 1.51 m below the flood of record (2009), rising "
                + "(at 21:00 on 28 Oct)")
        #expect(bulletin.levels.map(\.status) == [.current, .stale, .current, .current, .none, .current])
        let aiNghia = try #require(bulletin.levels.first)
        #expect(aiNghia.reading?.time == F.t)
        #expect(aiNghia.trend?.direction == .rising)
        #expect(aiNghia.standing?.alarm?.level == 3 && aiNghia.standing?.record?.year == 2009)
    }

    @Test("a reading after T is not in the bulletin; an hour later it is")
    func nothingAfterT() async throws {
        let database = try F.database()
        let atT = try await BulletinBuilder.build(database: database, catalogue: F.catalogue, at: F.t)
        #expect(!atT.text().contains("9,40") && !atT.text().contains("9.40"))
        #expect(atT.rain.first?.totals.first?.millimetres == 120, "the 50 mm after T are not counted")
        let later = try await BulletinBuilder.build(database: database, catalogue: F.catalogue, at: F.t + 15 * F.minute)
        #expect(later.levels.first?.sentence.vi.hasPrefix("Ái Nghĩa 9,40 m") == true)
    }

    @Test("rain totals over 24, 6 and 3 hours with the gauge's commune; the reservoir's level, inflow and release")
    func rainAndReservoir() async throws {
        let bulletin = try await Self.bulletin()
        #expect(
            bulletin.rain.map(\.sentence.vi) == [
                "Trà Kót (xã Trà Liên): 24 giờ qua 120,0 mm, 6 giờ qua 30,0 mm, 3 giờ qua 15,0 mm"
            ])
        #expect(
            bulletin.rain.first?.sentence.en
                == "Trà Kót (Trà Liên commune): 120.0 mm in the last 24 h, 30.0 mm in 6 h, 15.0 mm in 3 h")
        #expect(bulletin.rain.first?.totals.map(\.readings) == [24, 6, 3])
        #expect(
            bulletin.reservoirs.map(\.sentence.vi) == [
                "Hồ Sông Tranh 2: mực nước hồ 172,30 m (dưới mực nước dâng bình thường 175,00 m 2,70 m), lưu lượng "
                    + "đến hồ 562 m³/s, lưu lượng xả 1500 m³/s (lúc 21:00 ngày 28/10)"
            ])
    }

    @Test("the crest told, with the time the water stood at it")
    func crests() async throws {
        let bulletin = try await Self.bulletin()
        #expect(
            bulletin.crests.map(\.sentence.vi) == [
                "Giao Thủy: đỉnh lũ 9,95 m lúc 19:30 ngày 28/10, trên báo động III 1,15 m, thấp hơn lũ lịch sử năm 1964 "
                    + "0,11 m"
            ])
        #expect(bulletin.crests.first?.time == F.t - 90 * F.minute)
    }

    @Test("the warnings active at T, highest first; the risk levels they state with their official colours")
    func warningsAndRiskLevels() async throws {
        let bulletin = try await Self.bulletin()
        #expect(
            bulletin.warnings.map { "\($0.station) \($0.rule.rawValue) \($0.level)" } == [
                "ai-nghia forecast 4", "ai-nghia level 3", "giao-thuy level 3", "tra-kot landslide 1",
            ], "not Tam Kỳ's, cleared before T, nor Câu Lâu's, raised after it")
        #expect(bulletin.warnings[1].acknowledgedBy == "Trực ban")
        #expect(bulletin.warnings[2].message.vi.contains("đỉnh lũ 9,95 m"), "a warning's latest message")
        #expect(
            bulletin.riskLevels.map(\.sentence.vi) == [
                "Cấp độ rủi ro thiên tai do lũ, ngập lụt tại Ái Nghĩa (Vu Gia): cấp 3, màu da cam (rủi ro lớn)",
                "Cấp độ rủi ro thiên tai do lũ quét, sạt lở đất tại xã Trà Liên (Trà Kót): cấp 1, màu xanh dương nhạt "
                    + "(rủi ro thấp)",
            ])
        #expect(
            bulletin.riskLevels.last?.sentence.en
                == "Flash flood and landslide risk level in Trà Liên commune (Trà Kót): level 1, light blue (low risk)")
        #expect(bulletin.riskLevels.map(\.level.swatch) == ["#ff9a3c", "#a6d8f0"])
        #expect(bulletin.hasActiveWarnings)
    }

    @Test("what is expected is an estimate from the trend, never a forecast ('dự báo')")
    func outlook() async throws {
        let bulletin = try await Self.bulletin()
        let estimate =
            "Ái Nghĩa (Vu Gia): ước tính theo xu thế, mực nước có thể đạt lũ lịch sử năm 2009 (10,77 m) vào khoảng "
            + "23:40 ngày 28/10 (9,26 m lúc 21:00 ngày 28/10)"
        #expect(bulletin.outlook.map(\.sentence.vi) == [estimate])
        #expect(bulletin.warnings.first?.message.vi == estimate, "the stored message said 'dự báo'")
        #expect(!bulletin.text().lowercased().contains("dự báo"))
        #expect(!bulletin.html(.vietnamese).lowercased().contains("dự báo"))
        #expect(!bulletin.jsonText().lowercased().contains("dự báo"))
    }

    @Test("whether a warning is active at T, leaving out rules on request")
    func anyWarningActive() async throws {
        let database = try F.database()
        #expect(try await BulletinBuilder.anyWarningActive(database: database, at: F.t))
        #expect(!(try await BulletinBuilder.anyWarningActive(database: database, at: F.t - 12 * F.hour)))
        #expect(
            try await BulletinBuilder.anyWarningActive(database: database, at: F.t - 8 * F.hour),
            "Tam Kỳ's, raised at 10:00")
        #expect(
            !(try await BulletinBuilder.anyWarningActive(
                database: database, at: F.t - 8 * F.hour, ignoring: [.level])))
    }
}

import Gauges
import Testing
import Warnings

@Suite("Messages")
struct MessageTests {
    /// The (Vietnamese, English) messages of the events.
    static func messages(_ events: [WarningEvent]) -> [[String]] {
        events.map { [$0.messageVI, $0.messageEN] }
    }

    @Test("alarm level: above, below, cleared, the record, with the trend")
    func level() throws {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let start = at("2022-10-11T07:00:00+07:00")
        let rising = engine.replay(
            series("cau-lau", from: start, every: 10 * minute, [3.50, 3.60, 3.70, 3.80, 3.90, 3.98, 4.07]))
        #expect(
            Self.messages(rising.events.filter { $0.rule == .level }) == [
                [
                    "Câu Lâu (Thu Bồn): 3,50 m lúc 07:00 11/10, vượt báo động II 0,50 m",
                    "Câu Lâu (Thu Bồn): 3.50 m at 07:00 11 Oct, 0.50 m above alarm level II",
                ],
                [
                    "Câu Lâu (Thu Bồn): 4,07 m lúc 08:00 11/10, vượt báo động III 0,07 m, đang lên",
                    "Câu Lâu (Thu Bồn): 4.07 m at 08:00 11 Oct, 0.07 m above alarm level III, rising",
                ],
            ])

        var falling = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let events = falling.replay(LateAndRestartTests.flood().filter { $0.sensor == .level }).events
        let level = events.filter { $0.rule == .level && $0.kind != .updated }
        try #require(level.count == 6)
        let crest = try #require(events.first { $0.rule == .level && $0.kind == .updated })
        #expect(crest.messageVI.contains(": đỉnh lũ "), "\(crest.messageVI)")
        #expect(crest.messageEN.contains(": crest "), "\(crest.messageEN)")
        #expect(
            Self.messages([level[3], level[5]]) == [
                [
                    "Câu Lâu (Thu Bồn): 3,50 m lúc 08:40 11/10, vượt báo động II 0,50 m, đang xuống",
                    "Câu Lâu (Thu Bồn): 3.50 m at 08:40 11 Oct, 0.50 m above alarm level II, falling",
                ],
                [
                    "Câu Lâu (Thu Bồn): 1,70 m lúc 10:50 11/10, dưới báo động I 0,30 m, đang xuống — hết cảnh báo",
                    "Câu Lâu (Thu Bồn): 1.70 m at 10:50 11 Oct, 0.30 m below alarm level I, falling — warning cleared",
                ],
            ])

        var record = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let top = record.replay(
            series("cau-lau", from: at("2025-10-30T06:00:00+07:00"), every: 15 * minute, [5.40, 5.50, 5.60, 5.70]))
        #expect(
            Self.messages(top.events.filter { $0.rule == .level && $0.level == 4 }) == [
                [
                    "Câu Lâu (Thu Bồn): 5,70 m lúc 06:45 30/10, vượt mức lũ lịch sử 5,61 m (2025), đang lên",
                    "Câu Lâu (Thu Bồn): 5.70 m at 06:45 30 Oct, above the highest flood on record, 5.61 m (2025), rising",
                ]
            ])
    }

    @Test("rate of rise")
    func rise() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.aiNghia()))
        let values = [7.00, 7.00, 7.00, 7.00, 7.00, 7.30, 7.60, 7.90, 8.20]
        let events = engine.replay(
            series("ai-nghia", from: at("2020-10-28T19:00:00+07:00"), every: 15 * minute, values)
        ).events
        #expect(
            Self.messages(events.filter { $0.rule == .rise }) == [
                [
                    "Ái Nghĩa (Vu Gia): lên 0,30 m trong 1 giờ đến 20:15 28/10 (ngưỡng 0,30 m)",
                    "Ái Nghĩa (Vu Gia): rose 0.30 m in 1 h to 20:15 28 Oct (threshold 0.30 m)",
                ],
                [
                    "Ái Nghĩa (Vu Gia): lên 1,20 m trong 1 giờ đến 21:00 28/10 (ngưỡng 1,00 m)",
                    "Ái Nghĩa (Vu Gia): rose 1.20 m in 1 h to 21:00 28 Oct (threshold 1.00 m)",
                ],
            ])
    }

    @Test("projected crossing, and its end when the level is reached")
    func forecast() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.aiNghia()))
        // 0.30 m/h: at 19:00, 8.65 m; BĐ III (9.00) 70 minutes away.
        let values = (0..<8).map { 8.425 + 0.075 * Double($0) } + [9.05]
        let events = engine.replay(
            series("ai-nghia", from: at("2020-10-28T18:15:00+07:00"), every: 15 * minute, values)
        ).events
        #expect(
            Self.messages(events.filter { $0.rule == .forecast }) == [
                [
                    "Ái Nghĩa (Vu Gia): dự báo đạt báo động III (9,00 m) khoảng 20:10 28/10; hiện 8,65 m lúc 19:00, "
                        + "lên 0,30 m/giờ",
                    "Ái Nghĩa (Vu Gia): projected to reach alarm level III (9.00 m) around 20:10 28 Oct; now 8.65 m at "
                        + "19:00, rising 0.30 m/h",
                ],
                [
                    "Ái Nghĩa (Vu Gia): đã đạt báo động III (9,00 m); hiện 9,05 m lúc 20:15 28/10, lên 0,31 m/giờ "
                        + "— hết cảnh báo",
                    "Ái Nghĩa (Vu Gia): reached alarm level III (9.00 m); now 9.05 m at 20:15 28 Oct, rising 0.31 m/h "
                        + "— warning cleared",
                ],
            ])
    }

    @Test("rain")
    func rain() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.traMy()))
        let amounts = Array(repeating: 4.2, count: 35) + [5.3]
        let events = engine.replay(
            series("tra-my", .rain, from: at("2023-11-15T11:05:00+07:00"), every: 5 * minute, amounts)
        ).events
        #expect(
            Self.messages(events) == [
                [
                    "Trà My (Tranh): mưa 71,4 mm trong 3 giờ đến 12:25 15/11 (ngưỡng 70 mm)",
                    "Trà My (Tranh): 71.4 mm of rain in 3 h to 12:25 15 Nov (threshold 70 mm)",
                ],
                [
                    "Trà My (Tranh): mưa 152,3 mm trong 3 giờ đến 14:00 15/11 (ngưỡng 150 mm)",
                    "Trà My (Tranh): 152.3 mm of rain in 3 h to 14:00 15 Nov (threshold 150 mm)",
                ],
            ])
    }

    @Test("silent gauge: level 1, level 2 above BĐ II, reporting again")
    func silent() {
        let catalogue = Stations.catalogue(Stations.cauLau(levelInterval: 900))  // silent after 45 minutes
        let start = at("2022-10-11T07:00:00+07:00")
        let eight = at("2022-10-11T08:00:00+07:00")

        var low = WarningEngine(catalogue: catalogue)
        _ = low.replay(series("cau-lau", from: start, every: 15 * minute, [2.5, 2.5, 2.5, 2.5, 2.5]))
        #expect(
            Self.messages(low.tick(now: eight + 45 * minute)) == [
                [
                    "Câu Lâu (Thu Bồn): không nhận được số liệu mực nước từ 08:00 11/10 (45 phút)",
                    "Câu Lâu (Thu Bồn): no water level reading since 08:00 11 Oct (45 min)",
                ]
            ])

        var high = WarningEngine(catalogue: catalogue)
        _ = high.replay(series("cau-lau", from: start, every: 15 * minute, [3.2, 3.2, 3.2, 3.2, 3.2]))
        #expect(
            Self.messages(high.tick(now: eight + 45 * minute)) == [
                [
                    "Câu Lâu (Thu Bồn): không nhận được số liệu mực nước từ 08:00 11/10 (45 phút); lần cuối 3,20 m, "
                        + "trên báo động II",
                    "Câu Lâu (Thu Bồn): no water level reading since 08:00 11 Oct (45 min); last 3.20 m, above alarm "
                        + "level II",
                ]
            ])
        let back = Reading(station: "cau-lau", sensor: .level, timestamp: eight + 70 * minute, value: 3.1)
        #expect(
            Self.messages(high.evaluate([back], arrivedAt: eight + 70 * minute).events.filter { $0.rule == .silent })
                == [
                    [
                        "Câu Lâu (Thu Bồn): đã có số liệu mực nước trở lại lúc 09:10 11/10, sau 1 giờ 10 phút gián đoạn "
                            + "— hết cảnh báo",
                        "Câu Lâu (Thu Bồn): water level reporting again at 09:10 11 Oct, after 1 h 10 min without "
                            + "readings — warning cleared",
                    ]
                ])
    }
}

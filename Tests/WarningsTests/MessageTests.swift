import Gauges
import Testing
import Warnings

/// The messages of the events, sentence by sentence, in the words of the official flood bulletins (Đài KTTV): "trên"
/// and "dưới" an alarm level, the distance to the flood of record above BĐ III, "đang lên / đang xuống / biến đổi
/// chậm", "lúc 08:00 ngày 11/10", the commune of a rain gauge, trend estimates rather than forecasts, and the risk
/// level of Decision 18/2021/QĐ-TTg last.
@Suite("Messages")
struct MessageTests {
    /// The (Vietnamese, English) messages of the events; each must be free of the words bulletins do not use.
    static func messages(_ events: [WarningEvent], sourceLocation: SourceLocation = #_sourceLocation) -> [[String]] {
        for event in events {
            for text in [event.messageVI, event.messageEN] {
                for word in ["vượt", "ít thay đổi", "bản tin", "dự báo", "lúc lúc", "ngày ngày", "forecast", "at at"] {
                    #expect(!text.contains(word), "\"\(word)\" in \(text)", sourceLocation: sourceLocation)
                }
            }
        }
        return events.map { [$0.messageVI, $0.messageEN] }
    }

    /// A message read as a bulletin prints it: without our river tag, "Ái Nghĩa (Vu Gia): 9,26 m, …" is "Ái Nghĩa
    /// 9,26 m, …".
    static func asBulletin(_ message: String, river: String) -> String {
        message.replacing(" (" + river + "):", with: "")
    }

    /// The last line of a flood warning at a station without `flood_zone`.
    static let noZone =
        ". Cấp độ rủi ro thiên tai do lũ, ngập lụt: chưa xác định (chưa có khu vực của trạm theo Quyết định "
        + "18/2021/QĐ-TTg)"
    static let noZoneEN =
        ". Flood risk level: not determined (the station's zone under Decision 18/2021/QĐ-TTg is not set)"
    /// The last line of a trend estimate there.
    static let noZoneProjected =
        ". Cấp độ rủi ro thiên tai do lũ, ngập lụt nếu đạt mức này: chưa xác định (chưa có khu vực của trạm theo Quyết "
        + "định 18/2021/QĐ-TTg)"
    static let noZoneProjectedEN =
        ". Flood risk level if reached: not determined (the station's zone under Decision 18/2021/QĐ-TTg is not set)"

    /// Tam Kỳ (Tam Kỳ river): BĐ I 1.70, II 2.20, III 2.70, no record.
    static func tamKy() -> Station {
        Station(
            id: "tam-ky", name: "Tam Kỳ", river: "Tam Kỳ", latitude: 15.57, longitude: 108.47,
            sensors: [Stations.level()], alarmLevels: AlarmLevels(levelI: 1.70, levelII: 2.20, levelIII: 2.70))
    }

    // MARK: Levels

    @Test("alarm levels: above, at, below each, with the trend words and the time as bulletins write them")
    func level() throws {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let start = at("2022-10-11T07:00:00+07:00")
        let rising = engine.replay(
            series("cau-lau", from: start, every: 10 * minute, [3.50, 3.60, 3.70, 3.80, 3.90, 3.98, 4.07]))
        #expect(
            Self.messages(rising.events.filter { $0.rule == .level }) == [
                [
                    "Câu Lâu (Thu Bồn): 3,50 m, trên báo động II 0,50 m, lúc 07:00 ngày 11/10" + Self.noZone,
                    "Câu Lâu (Thu Bồn): 3.50 m, 0.50 m above alarm level II, at 07:00 on 11 Oct" + Self.noZoneEN,
                ],
                [
                    "Câu Lâu (Thu Bồn): 4,07 m, trên báo động III 0,07 m, thấp hơn lũ lịch sử năm 2025 1,54 m, đang lên, "
                        + "lúc 08:00 ngày 11/10" + Self.noZone,
                    "Câu Lâu (Thu Bồn): 4.07 m, 0.07 m above alarm level III, 1.54 m below the 2025 flood of record, "
                        + "rising, at 08:00 on 11 Oct" + Self.noZoneEN,
                ],
            ])

        var falling = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let events = falling.replay(LateAndRestartTests.flood().filter { $0.sensor == .level }).events
        let level = events.filter { $0.rule == .level && $0.kind != .updated }
        try #require(level.count == 6)
        #expect(
            Self.messages([level[3], level[5]]) == [
                [
                    "Câu Lâu (Thu Bồn): 3,50 m, trên báo động II 0,50 m, đang xuống, lúc 08:40 ngày 11/10"
                        + Self.noZone,
                    "Câu Lâu (Thu Bồn): 3.50 m, 0.50 m above alarm level II, falling, at 08:40 on 11 Oct"
                        + Self.noZoneEN,
                ],
                [
                    "Câu Lâu (Thu Bồn): 1,70 m, dưới báo động I 0,30 m, đang xuống, lúc 10:50 ngày 11/10 — hết cảnh báo",
                    "Câu Lâu (Thu Bồn): 1.70 m, 0.30 m below alarm level I, falling, at 10:50 on 11 Oct — warning cleared",
                ],
            ])
    }

    @Test("exactly at an alarm level, and a level that barely moves: \"đạt\", \"biến đổi chậm\"")
    func atAndSteady() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let start = at("2022-10-11T07:00:00+07:00")
        let events = engine.replay(series("cau-lau", from: start, every: 10 * minute, [2.99, 2.99, 2.99, 2.99, 3.00]))
        #expect(
            Self.messages(events.events.filter { $0.rule == .level }) == [
                [
                    "Câu Lâu (Thu Bồn): 2,99 m, trên báo động I 0,99 m, lúc 07:00 ngày 11/10" + Self.noZone,
                    "Câu Lâu (Thu Bồn): 2.99 m, 0.99 m above alarm level I, at 07:00 on 11 Oct" + Self.noZoneEN,
                ],
                [
                    "Câu Lâu (Thu Bồn): 3,00 m, đạt báo động II, biến đổi chậm, lúc 07:40 ngày 11/10" + Self.noZone,
                    "Câu Lâu (Thu Bồn): 3.00 m, at alarm level II, steady, at 07:40 on 11 Oct" + Self.noZoneEN,
                ],
            ])
    }

    @Test("Molave, 21:00 28 Oct 2020: \"Ái Nghĩa 9,26 m, trên báo động III 0,26 m\", and the flood of record of 2009")
    func molaveAiNghia() throws {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.aiNghia()))
        // 7.75 m at 16:00 and 9.26 m at 21:00 as bulletins gave them; the hours between, a straight line.
        let values = [7.75, 8.05, 8.35, 8.65, 8.95, 9.26]
        let events = engine.replay(
            series("ai-nghia", from: at("2020-10-28T16:00:00+07:00"), every: hour, values)
        ).events
        let top = try #require(events.last { $0.rule == .level && $0.level == 3 })
        #expect(
            Self.messages([top]) == [
                [
                    "Ái Nghĩa (Vu Gia): 9,26 m, trên báo động III 0,26 m, thấp hơn lũ lịch sử năm 2009 1,51 m, đang lên, "
                        + "lúc 21:00 ngày 28/10" + Self.noZone,
                    "Ái Nghĩa (Vu Gia): 9.26 m, 0.26 m above alarm level III, 1.51 m below the 2009 flood of record, "
                        + "rising, at 21:00 on 28 Oct" + Self.noZoneEN,
                ]
            ])
        #expect(Self.asBulletin(top.messageVI, river: "Vu Gia").contains("Ái Nghĩa 9,26 m, trên báo động III 0,26 m"))
    }

    @Test("Molave, 21:00 28 Oct 2020: \"Tam Kỳ 1,05 m, dưới báo động I 0,65 m\" as the warning clears")
    func molaveTamKy() throws {
        var engine = WarningEngine(catalogue: Stations.catalogue(Self.tamKy()))
        let readings =
            series("tam-ky", from: at("2020-10-28T19:30:00+07:00"), every: hour, [1.80, 1.20])
            + [Reading(station: "tam-ky", sensor: .level, timestamp: at("2020-10-28T21:00:00+07:00"), value: 1.05)]
        let events = engine.replay(readings).events.filter { $0.rule == .level }
        let cleared = try #require(events.last)
        #expect(
            Self.messages([cleared]) == [
                [
                    "Tam Kỳ (Tam Kỳ): 1,05 m, dưới báo động I 0,65 m, đang xuống, lúc 21:00 ngày 28/10 — hết cảnh báo",
                    "Tam Kỳ (Tam Kỳ): 1.05 m, 0.65 m below alarm level I, falling, at 21:00 on 28 Oct — warning cleared",
                ]
            ])
        #expect(Self.asBulletin(cleared.messageVI, river: "Tam Kỳ").contains("Tam Kỳ 1,05 m, dưới báo động I 0,65 m"))
    }

    @Test("above the flood of record: \"trên lũ lịch sử năm 2025 0,09 m\", never a record value read as a distance")
    func record() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let top = engine.replay(
            series("cau-lau", from: at("2025-10-30T06:00:00+07:00"), every: 15 * minute, [5.40, 5.50, 5.60, 5.70]))
        #expect(
            Self.messages(top.events.filter { $0.rule == .level }) == [
                [
                    "Câu Lâu (Thu Bồn): 5,40 m, trên báo động III 1,40 m, thấp hơn lũ lịch sử năm 2025 0,21 m, lúc 06:00 "
                        + "ngày 30/10" + Self.noZone,
                    "Câu Lâu (Thu Bồn): 5.40 m, 1.40 m above alarm level III, 0.21 m below the 2025 flood of record, at "
                        + "06:00 on 30 Oct" + Self.noZoneEN,
                ],
                [
                    "Câu Lâu (Thu Bồn): 5,70 m, trên báo động III 1,70 m, trên lũ lịch sử năm 2025 0,09 m, đang lên, lúc "
                        + "06:45 ngày 30/10" + Self.noZone,
                    "Câu Lâu (Thu Bồn): 5.70 m, 1.70 m above alarm level III, 0.09 m above the 2025 flood of record, "
                        + "rising, at 06:45 on 30 Oct" + Self.noZoneEN,
                ],
            ])
    }

    // MARK: Rise, crest, trend estimate

    @Test("rate of rise, ending with the flood risk level of the water it rose to")
    func rise() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.aiNghia()))
        let values = [7.00, 7.00, 7.00, 7.00, 7.00, 7.30, 7.60, 7.90, 8.20]
        let events = engine.replay(
            series("ai-nghia", from: at("2020-10-28T19:00:00+07:00"), every: 15 * minute, values)
        ).events
        #expect(
            Self.messages(events.filter { $0.rule == .rise }) == [
                [
                    "Ái Nghĩa (Vu Gia): lên 0,30 m trong 1 giờ đến 20:15 ngày 28/10 (ngưỡng 0,30 m)" + Self.noZone,
                    "Ái Nghĩa (Vu Gia): rose 0.30 m in 1 h to 20:15 on 28 Oct (threshold 0.30 m)" + Self.noZoneEN,
                ],
                [
                    "Ái Nghĩa (Vu Gia): lên 1,20 m trong 1 giờ đến 21:00 ngày 28/10 (ngưỡng 1,00 m)" + Self.noZone,
                    "Ái Nghĩa (Vu Gia): rose 1.20 m in 1 h to 21:00 on 28 Oct (threshold 1.00 m)" + Self.noZoneEN,
                ],
            ])
    }

    @Test("a rise at a station of khu vực 3 states Article 45's level for the water now")
    func riseWithZone() throws {
        var station = Stations.cauLau { $0.forecast.enabled = false }
        station.floodZone = 3
        var engine = WarningEngine(
            catalogue: StationCatalogue(stations: [station], riskTables: FloodRiskTests.tables))
        let values = [3.00, 3.00, 3.00, 3.00, 3.00, 3.30]
        let events = engine.replay(
            series("cau-lau", from: at("2020-10-28T12:00:00+07:00"), every: 15 * minute, values)
        ).events
        let rise = try #require(events.first { $0.rule == .rise })
        // BĐ II to below BĐ III in khu vực 3: level 2 (Article 45, khoản 2).
        #expect(
            Self.messages([rise]) == [
                [
                    "Câu Lâu (Thu Bồn): lên 0,30 m trong 1 giờ đến 13:15 ngày 28/10 (ngưỡng 0,30 m). Cấp độ rủi ro thiên "
                        + "tai do lũ, ngập lụt: cấp 2",
                    "Câu Lâu (Thu Bồn): rose 0.30 m in 1 h to 13:15 on 28 Oct (threshold 0.30 m). Flood risk level: 2",
                ]
            ])
        #expect(rise.riskLevel == 2, "the notice's risk_level says what the message says")
    }

    @Test("the crest, as bulletins give it, with the same-day time short and the risk line last")
    func crest() throws {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let start = at("2020-10-28T19:00:00+07:00")
        let values = [3.60, 3.80, 3.95, 4.02, 4.07, 4.03, 3.96]
        let events = engine.replay(series("cau-lau", from: start, every: 30 * minute, values)).events
        let crest = try #require(events.first { $0.rule == .level && $0.kind == .updated })
        #expect(
            Self.messages([crest]) == [
                [
                    "Câu Lâu (Thu Bồn): đỉnh lũ 4,07 m lúc 21:00 ngày 28/10, trên báo động III 0,07 m, thấp hơn lũ lịch "
                        + "sử năm 2025 1,54 m; hiện 3,96 m lúc 22:00, đang xuống" + Self.noZone,
                    "Câu Lâu (Thu Bồn): crest 4.07 m at 21:00 on 28 Oct, 0.07 m above alarm level III, 1.54 m below "
                        + "the 2025 flood of record; now 3.96 m at 22:00, falling" + Self.noZoneEN,
                ]
            ])

        // At a station of khu vực 3 the crest states the level its warning states: BĐ II–III, level 2.
        var zoned = WarningEngine(catalogue: FloodRiskTests.catalogue(zone: 3))
        let told = zoned.replay(
            series("cau-lau", from: at("2020-10-28T12:00:00+07:00"), every: 10 * minute, [3.2, 3.5, 3.3])
        ).events
        let zonedCrest = try #require(told.first { $0.rule == .level && $0.kind == .updated })
        #expect(
            Self.messages([zonedCrest]) == [
                [
                    "Câu Lâu (Thu Bồn): đỉnh lũ 3,50 m lúc 12:10 ngày 28/10, trên báo động II 0,50 m; hiện 3,30 m lúc "
                        + "12:20, đang xuống. Cấp độ rủi ro thiên tai do lũ, ngập lụt: cấp 2",
                    "Câu Lâu (Thu Bồn): crest 3.50 m at 12:10 on 28 Oct, 0.50 m above alarm level II; now 3.30 m at "
                        + "12:20, falling. Flood risk level: 2",
                ]
            ])
    }

    @Test("a projected crossing is a trend estimate, never a forecast; its end when the level is reached")
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
                    "Ái Nghĩa (Vu Gia): ước tính theo xu thế đạt báo động III (9,00 m) khoảng 20:10 ngày 28/10; hiện "
                        + "8,65 m lúc 19:00, lên 0,30 m/giờ" + Self.noZoneProjected,
                    "Ái Nghĩa (Vu Gia): trend estimate: alarm level III (9.00 m) around 20:10 on 28 Oct; now 8.65 m at "
                        + "19:00, rising 0.30 m/h" + Self.noZoneProjectedEN,
                ],
                [
                    "Ái Nghĩa (Vu Gia): đã đạt báo động III (9,00 m); hiện 9,05 m lúc 20:15 ngày 28/10, lên 0,31 m/giờ "
                        + "— hết cảnh báo",
                    "Ái Nghĩa (Vu Gia): reached alarm level III (9.00 m); now 9.05 m at 20:15 on 28 Oct, rising 0.31 "
                        + "m/h — warning cleared",
                ],
            ])
    }

    @Test("a trend estimate towards the flood of record names its year; one that fades is cleared as such")
    func forecastRecordAndFading() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau { $0.rise.enabled = false }))
        let start = at("2025-10-30T01:00:00+07:00")
        // 0.20 m/h at level 3: the record (5.61 m) 2.3 hours away at 01:45. Then the river stops rising: from 02:15
        // the line through the last 2 hours no longer reaches it within 3 hours, and after the hold (30 min) the
        // estimate is withdrawn.
        let values = [5.00, 5.05, 5.10, 5.15] + Array(repeating: 5.15, count: 12)
        let events = engine.replay(series("cau-lau", from: start, every: 15 * minute, values)).events
        #expect(
            Self.messages(events.filter { $0.rule == .forecast }) == [
                [
                    "Câu Lâu (Thu Bồn): ước tính theo xu thế đạt lũ lịch sử năm 2025 (5,61 m) khoảng 04:05 ngày 30/10; "
                        + "hiện 5,15 m lúc 01:45, lên 0,20 m/giờ" + Self.noZoneProjected,
                    "Câu Lâu (Thu Bồn): trend estimate: the 2025 flood of record (5.61 m) around 04:05 on 30 Oct; now "
                        + "5.15 m at 01:45, rising 0.20 m/h" + Self.noZoneProjectedEN,
                ],
                [
                    "Câu Lâu (Thu Bồn): ước tính theo xu thế không còn đạt lũ lịch sử năm 2025 (5,61 m); hiện 5,15 m lúc "
                        + "02:45 ngày 30/10, lên 0,08 m/giờ — hết cảnh báo",
                    "Câu Lâu (Thu Bồn): trend estimate: no longer reaching the 2025 flood of record (5.61 m); now 5.15 m "
                        + "at 02:45 on 30 Oct, rising 0.08 m/h — warning cleared",
                ],
            ])
    }

    // MARK: Rain

    /// Trà Kót, a rain gauge in xã Trà Liên (of risk zone `risk`, or none) in a province of khu vực 3.
    static func traKot(risk: Area.LandslideRisk?) -> StationCatalogue {
        var rules = StationRules()
        rules.silent.enabled = false
        let gauge = Station(
            id: "tra-kot", name: "Trà Kót", river: "Tranh", latitude: 15.34, longitude: 108.41, area: "tra-lien",
            sensors: [Stations.rain()], rules: rules)
        return StationCatalogue(
            stations: [gauge], areas: [Area(id: "tra-lien", name: "Trà Liên", kind: .commune, landslideRisk: risk)],
            riskZone: 3, riskTables: LandslideRuleTests.tables)
    }

    /// 4.2 mm every 5 minutes from 11:05 on 15 Nov 2023, 5.3 mm at 14:00.
    static func storm(_ station: String) -> [Reading] {
        let amounts = Array(repeating: 4.2, count: 35) + [5.3]
        return series(station, .rain, from: at("2023-11-15T11:05:00+07:00"), every: 5 * minute, amounts)
    }

    @Test("rain names the commune, not the river; a gauge without an area keeps its river")
    func rain() {
        var inCommune = WarningEngine(catalogue: Self.traKot(risk: nil))
        let noRiskZone =
            ". Cấp độ rủi ro thiên tai do lũ quét, sạt lở đất: chưa xác định (chưa có vùng nguy cơ lũ quét, sạt lở đất "
            + "của xã Trà Liên)"
        let noRiskZoneEN =
            ". Flash flood and landslide risk level: not determined (no flash flood and landslide risk zone is set for "
            + "Trà Liên commune)"
        let communeEvents = inCommune.replay(Self.storm("tra-kot")).events
        #expect(
            Self.messages(communeEvents) == [
                [
                    "Trà Kót (xã Trà Liên): mưa 71,4 mm trong 3 giờ đến 12:25 ngày 15/11 (ngưỡng 70 mm)" + noRiskZone,
                    "Trà Kót (Trà Liên commune): 71.4 mm of rain in 3 h to 12:25 on 15 Nov (threshold 70 mm)"
                        + noRiskZoneEN,
                ],
                [
                    "Trà Kót (xã Trà Liên): mưa 152,3 mm trong 3 giờ đến 14:00 ngày 15/11 (ngưỡng 150 mm)" + noRiskZone,
                    "Trà Kót (Trà Liên commune): 152.3 mm of rain in 3 h to 14:00 on 15 Nov (threshold 150 mm)"
                        + noRiskZoneEN,
                ],
            ])
        #expect(
            communeEvents.last?.messageVI.contains(
                "Trà Kót (xã Trà Liên): mưa 152,3 mm trong 3 giờ đến 14:00 ngày 15/11 (ngưỡng 150 mm)") == true)

        var noArea = WarningEngine(catalogue: Stations.catalogue(Stations.traMy()))
        #expect(
            Self.messages(noArea.replay(Self.storm("tra-my")).events.filter { $0.rule == .rain }.suffix(1)) == [
                [
                    "Trà My (Tranh): mưa 152,3 mm trong 3 giờ đến 14:00 ngày 15/11 (ngưỡng 150 mm). Cấp độ rủi ro thiên "
                        + "tai do lũ quét, sạt lở đất: chưa xác định (trạm chưa gắn với xã nào)",
                    "Trà My (Tranh): 152.3 mm of rain in 3 h to 14:00 on 15 Nov (threshold 150 mm). Flash flood and "
                        + "landslide risk level: not determined (the gauge is in no commune of the catalogue)",
                ]
            ])
    }

    @Test("rain in a commune with a risk zone states Article 46's level, as the landslide warning does")
    func rainAndLandslide() throws {
        var engine = WarningEngine(catalogue: Self.traKot(risk: .high))
        // 10 mm on each of two days, then 150 mm at 08:00 on 3 Dec 2022: level 1 in a high-risk zone of khu vực 3.
        let events = engine.replay(LandslideRuleTests.readings(priorDays: 2, rain: 150)).events
        let rain = try #require(events.first { $0.rule == .rain })
        let landslide = try #require(events.first { $0.rule == .landslide })
        #expect(
            Self.messages([rain, landslide]) == [
                [
                    "Trà Kót (xã Trà Liên): mưa 150,0 mm trong 3 giờ đến 08:00 ngày 03/12 (ngưỡng 150 mm). Cấp độ rủi ro "
                        + "thiên tai do lũ quét, sạt lở đất: cấp 1",
                    "Trà Kót (Trà Liên commune): 150.0 mm of rain in 3 h to 08:00 on 3 Dec (threshold 150 mm). Flash "
                        + "flood and landslide risk level: 1",
                ],
                [
                    "Nguy cơ lũ quét, sạt lở đất tại xã Trà Liên: mưa 24 giờ qua 150,0 mm (Trà Kót) đến 08:00 ngày "
                        + "03/12, đã mưa 2 ngày trước đó. Cấp độ rủi ro thiên tai do lũ quét, sạt lở đất: cấp 1",
                    "Risk of flash floods and landslides in Trà Liên commune: 150.0 mm of rain in 24 h at Trà Kót to "
                        + "08:00 on 3 Dec, after 2 days of rain. Flash flood and landslide risk level: 1",
                ],
            ])
        #expect(rain.riskLevel == 1 && landslide.riskLevel == 1)
    }

    // MARK: Gauges and reservoirs

    @Test("silent gauge: level 1, level 2 above BĐ II, reporting again; no risk line")
    func silent() {
        let catalogue = Stations.catalogue(Stations.cauLau(levelInterval: 900))  // silent after 45 minutes
        let start = at("2022-10-11T07:00:00+07:00")
        let eight = at("2022-10-11T08:00:00+07:00")

        var low = WarningEngine(catalogue: catalogue)
        _ = low.replay(series("cau-lau", from: start, every: 15 * minute, [2.5, 2.5, 2.5, 2.5, 2.5]))
        #expect(
            Self.messages(low.tick(now: eight + 45 * minute)) == [
                [
                    "Câu Lâu (Thu Bồn): không nhận được số liệu mực nước từ 08:00 ngày 11/10 (45 phút)",
                    "Câu Lâu (Thu Bồn): no water level reading since 08:00 on 11 Oct (45 min)",
                ]
            ])

        var high = WarningEngine(catalogue: catalogue)
        _ = high.replay(series("cau-lau", from: start, every: 15 * minute, [3.2, 3.2, 3.2, 3.2, 3.2]))
        #expect(
            Self.messages(high.tick(now: eight + 45 * minute)) == [
                [
                    "Câu Lâu (Thu Bồn): không nhận được số liệu mực nước từ 08:00 ngày 11/10 (45 phút); lần cuối 3,20 m, "
                        + "trên báo động II 0,20 m",
                    "Câu Lâu (Thu Bồn): no water level reading since 08:00 on 11 Oct (45 min); last 3.20 m, 0.20 m above "
                        + "alarm level II",
                ]
            ])
        let back = Reading(station: "cau-lau", sensor: .level, timestamp: eight + 70 * minute, value: 3.1)
        #expect(
            Self.messages(high.evaluate([back], arrivedAt: eight + 70 * minute).events.filter { $0.rule == .silent })
                == [
                    [
                        "Câu Lâu (Thu Bồn): đã có số liệu mực nước trở lại lúc 09:10 ngày 11/10, sau 1 giờ 10 phút gián "
                            + "đoạn — hết cảnh báo",
                        "Câu Lâu (Thu Bồn): water level reporting again at 09:10 on 11 Oct, after 1 h 10 min without "
                            + "readings — warning cleared",
                    ]
                ])
    }

    @Test("readings lost upstream are packets of data (gói số liệu), not bulletins; the date once when one day")
    func gap() {
        var engine = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let start = at("2020-10-28T20:00:00+07:00")
        let lost = CounterGap(
            station: "cau-lau", sensor: .level, firstSeq: 2, lastSeq: 4, after: start + 5 * minute,
            before: start + 25 * minute)
        #expect(
            Self.messages(engine.judge([.opened(lost)], at: start + hour)) == [
                [
                    "Câu Lâu (Thu Bồn): mất 3 gói số liệu mực nước (seq 2–4) giữa 20:05 và 20:25 ngày 28/10 trước khi "
                        + "đến FloodWatch; kiểm tra đường truyền và bộ ghi của trạm",
                    "Câu Lâu (Thu Bồn): 3 water level readings lost before reaching FloodWatch (seq 2–4) between 20:05 "
                        + "and 20:25 on 28 Oct; check the gauge's link and logger",
                ]
            ])
        #expect(
            Self.messages(engine.judge([.filled(lost, stillOpen: 0)], at: start + 2 * hour)) == [
                [
                    "Câu Lâu (Thu Bồn): đã nhận đủ các gói số liệu mực nước bị thiếu — hết cảnh báo",
                    "Câu Lâu (Thu Bồn): the missing water level readings arrived — warning cleared",
                ]
            ])

        var overnight = WarningEngine(catalogue: Stations.catalogue(Stations.cauLau()))
        let midnight = at("2020-10-29T00:00:00+07:00")
        let across = CounterGap(
            station: "cau-lau", sensor: .level, firstSeq: 7, lastSeq: 7, after: midnight - 5 * minute,
            before: midnight + 5 * minute)
        #expect(
            overnight.judge([.opened(across)], at: midnight + hour).map(\.messageVI) == [
                "Câu Lâu (Thu Bồn): mất 1 gói số liệu mực nước (seq 7) giữa 23:55 ngày 28/10 và 00:05 ngày 29/10 trước "
                    + "khi đến FloodWatch; kiểm tra đường truyền và bộ ghi của trạm"
            ])
    }

    @Test("a reservoir's release and level: no risk line, the Decision sets none for them")
    func reservoir() throws {
        var engine = WarningEngine(catalogue: ReservoirRuleTests.catalogue())
        let level: [Double] = [173.5, 174.2, 174.9, 175.0, 175.0, 175.0, 175.0, 175.0, 175.0, 175.0, 175.0, 175.0]
        let events = engine.replay(
            ReservoirRuleTests.readings(outflow: ReservoirRuleTests.outflow, level: level)
        ).events
        let release = try #require(events.first { $0.rule == .release })
        let pool = try #require(events.first { $0.rule == .pool })
        #expect(
            Self.messages([release, pool]) == [
                [
                    "Sông Tranh 2 (Tranh): xả 700 m³/s lúc 18:00 ngày 21/11 (ngưỡng 500 m³/s), tăng 300 m³/s trong 1 giờ; "
                        + "hạ du: xã Trà Đốc, xã Trà Tân",
                    "Sông Tranh 2 (Tranh): releasing 700 m³/s at 18:00 on 21 Nov (threshold 500 m³/s), up 300 m³/s in "
                        + "1 h; downstream: Trà Đốc commune, Trà Tân commune",
                ],
                [
                    "Sông Tranh 2 (Tranh): mực nước hồ 174,20 m lúc 12:00 ngày 21/11, dưới mực nước dâng bình thường "
                        + "175,00 m 0,80 m",
                    "Sông Tranh 2 (Tranh): reservoir level 174.20 m at 12:00 on 21 Nov, 0.80 m below the normal water "
                        + "level, 175.00 m",
                ],
            ])
        #expect(events.allSatisfy { !$0.messageVI.contains("Cấp độ rủi ro") && $0.riskLevel == nil })
    }
}

import Alerts
import Gauges
import Testing
import Warnings

@Suite struct NoticeTitleTests {
    @Test func clearedWarningIsNamedByItsLastLevel() {
        let event = WarningEvent(
            station: "cau-lau", sensor: .level, rule: .level, kind: .cleared, level: 0, timestamp: 0,
            messageVI: "", messageEN: "")
        let notice = Notice(
            id: 7, kind: .event, createdAt: 0,
            event: StoredWarningEvent(id: 9, warningID: 3, event: event, createdAt: 0), previousLevel: 3)
        let title = NoticeTitle(notice)
        #expect(title.en == "Flood warning, alarm level III — ended")
        #expect(title.vi == "Cảnh báo lũ, báo động III — kết thúc")
    }
}

/// Every title, in both languages: what e-mail subjects, headlines and chat messages say.
@Suite struct NoticeTitleWordingTests {
    static func title(_ rule: WarningRule, level: Int) -> NoticeTitle { NoticeTitle.rule(rule, level: level) }

    @Test func everyRuleInBothLanguages() {
        let expected: [(WarningRule, Int, String, String)] = [
            (.level, 2, "Cảnh báo lũ, báo động II", "Flood warning, alarm level II"),
            (.level, 4, "Cảnh báo lũ, trên lũ lịch sử", "Flood warning, above the flood of record"),
            (
                .forecast, 3, "Ước tính xu thế: mực nước có thể đạt báo động III",
                "Trend estimate: the level may reach alarm level III"
            ),
            (
                .forecast, 4, "Ước tính xu thế: mực nước có thể trên lũ lịch sử",
                "Trend estimate: the level may pass the flood of record"
            ),
            (.rise, 2, "Cảnh báo nước lên nhanh, cấp 2", "Rapid rise warning, level 2"),
            (.rain, 1, "Cảnh báo mưa lớn, cấp 1", "Heavy rain warning, level 1"),
            (.silent, 1, "Trạm đo mất tín hiệu", "Gauge silent"),
            (.gap, 1, "Mất gói số liệu trên đường truyền", "Readings lost upstream"),
            (.landslide, 2, "Cảnh báo nguy cơ lũ quét, sạt lở đất", "Flash flood and landslide risk warning"),
            (.release, 1, "Thông báo xả lũ, cấp 1", "Reservoir release, level 1"),
            (.pool, 2, "Hồ chứa đạt mực nước dâng bình thường", "Reservoir at its normal water level"),
        ]
        for (rule, level, vi, en) in expected {
            #expect(Self.title(rule, level: level) == NoticeTitle(vi: vi, en: en), "\(rule) \(level)")
        }
        for (rule, level, _, _) in expected {
            let vi = Self.title(rule, level: level).vi.lowercased()
            #expect(!vi.contains("dự báo") && !vi.contains("vượt") && !vi.contains("bản tin"), "\(vi)")
        }
    }

    @Test func groupedSaysWhatHappened() {
        func member(_ station: String, _ kind: WarningEventKind) -> StoredWarningEvent {
            StoredWarningEvent(
                id: 1, warningID: 1,
                event: WarningEvent(
                    station: station, sensor: .level, rule: .silent, kind: kind, level: 1, timestamp: 0,
                    messageVI: "", messageEN: ""), createdAt: 0)
        }
        func title(_ members: [StoredWarningEvent]) -> NoticeTitle {
            NoticeTitle(Notice(id: 1, kind: .grouped, createdAt: 0, event: nil, members: members))
        }
        #expect(
            title([member("a", .raised), member("b", .raised)])
                == NoticeTitle(vi: "2 trạm đo mất tín hiệu", en: "2 gauges went silent"))
        #expect(
            title([member("a", .cleared)]) == NoticeTitle(vi: "1 trạm đo có số liệu trở lại", en: "1 gauge came back"))
        #expect(
            title([member("a", .raised), member("b", .cleared), member("c", .cleared)])
                == NoticeTitle(
                    vi: "1 trạm đo mất tín hiệu, 2 trạm đo có số liệu trở lại",
                    en: "1 gauge went silent, 2 gauges came back"))
    }

    @Test func bulletin() {
        let notice = Notice(id: 1, kind: .bulletin, createdAt: 0, event: nil)
        #expect(NoticeTitle(notice) == NoticeTitle(vi: "Bản tin tình hình mưa lũ", en: "Flood situation report"))
    }
}

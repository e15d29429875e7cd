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

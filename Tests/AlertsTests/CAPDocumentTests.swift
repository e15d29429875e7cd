import Alerts
import Gauges
import Testing
import Warnings

/// Every document is checked against the official CAP 1.2 schema with xmllint, then read back as a consumer would.
@Suite struct CAPDocumentTests {
    typealias F = CAPFixtures

    /// Renders, validates against the schema and parses `notice`'s document.
    func document(
        _ notice: Notice, settings: AlertSettings = CAPFixtures.settings,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (text: String, alert: XMLNode) {
        let text = try #require(
            CAPDocument.render(notice, catalogue: F.catalogue, settings: settings), sourceLocation: sourceLocation)
        try XMLLint.expectValidCAP(text, sourceLocation: sourceLocation)
        return (text, try XMLNode.parse(text, sourceLocation: sourceLocation))
    }

    @Test func raisedWarningIsAnAlertInBothLanguages() throws {
        let notice = F.notice(event: F.event(.raised, level: 3))
        let (text, alert) = try document(notice)
        #expect(
            text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alert xmlns=\"\(CAPDocument.namespace)\">"))
        #expect(alert.value("identifier") == "floodwatch-notice-7")
        #expect(alert.value("sender") == "floodwatch@bactramy.gov.vn")
        #expect(alert.value("sent") == "2020-10-28T21:00:00+07:00")
        #expect(alert.value("status") == "Actual")
        #expect(alert.value("msgType") == "Alert")
        #expect(alert.value("scope") == "Public")
        #expect(alert.child("references") == nil)

        let infos = alert.all("info")
        #expect(infos.map { $0.value("language") } == ["vi-VN", "en-US"])
        for info in infos {
            #expect(info.value("category") == "Met")
            #expect(info.value("urgency") == "Immediate")
            #expect(info.value("severity") == "Severe")
            #expect(info.value("certainty") == "Observed")
            #expect(info.value("senderName") == "FloodWatch Quảng Nam")
            #expect(info.parameters["warning_id"] == "30")
            #expect(info.parameters["station"] == "cau-lau")
            #expect(info.parameters["rule"] == "level")
            #expect(info.parameters["level"] == "3")
            #expect(info.parameters["exercise"] == nil)
            let areas = info.all("area")
            #expect(areas.map { $0.value("areaDesc") } == ["Câu Lâu (Thu Bồn)"])
            #expect(areas.map { $0.value("circle") } == ["15.85,108.22 10"])
        }
        // The hazard, stable whatever happens to the warning; the title is in the headline.
        #expect(infos[0].value("event") == "Lũ")
        #expect(infos[1].value("event") == "Flood")
        for info in infos {
            #expect(info.value("responseType") == "Avoid")
            #expect(info.child("eventCode")?.value("valueName") == "FloodWatch")
            #expect(info.child("eventCode")?.value("value") == "flood")
            #expect(info.value("effective") == "2020-10-28T20:59:00+07:00", "the reading's time, before sent")
            #expect(info.value("expires") == "2020-10-29T03:00:00+07:00", "6 hours after sent")
        }
        #expect(infos[0].value("instruction")?.contains("Không đi qua ngầm, tràn") == true)
        #expect(infos[1].value("instruction")?.contains("Do not cross fords") == true)
        #expect(infos[0].value("headline") == "Câu Lâu: Cảnh báo lũ, báo động III")
        #expect(infos[1].value("headline") == "Câu Lâu: Flood warning, alarm level III")
        #expect(infos[0].value("description") == notice.event?.event.messageVI)
        #expect(infos[1].value("description") == notice.event?.event.messageEN)
        // Diacritics are written as UTF-8, not as character references.
        #expect(text.contains("<areaDesc>Câu Lâu (Thu Bồn)</areaDesc>"))
    }

    @Test func sentIsVietnamTimeInWholeSeconds() throws {
        var notice = F.notice(event: F.event(.escalated, level: 3), earlier: [EarlierNotice(id: 5, createdAt: 999)])
        notice.createdAt = F.molave + 999
        let (_, alert) = try document(notice)
        #expect(alert.value("sent") == "2020-10-28T21:00:00+07:00")
        #expect(alert.value("references") == "floodwatch@bactramy.gov.vn,floodwatch-notice-5,1970-01-01T07:00:00+07:00")
    }

    @Test func escalationIsAnUpdateReferringToEarlierNotices() throws {
        let notice = F.notice(event: F.event(.escalated, level: 3), previousLevel: 2, earlier: F.earlier)
        let (_, alert) = try document(notice)
        #expect(alert.value("msgType") == "Update")
        #expect(
            alert.value("references")
                == "floodwatch@bactramy.gov.vn,floodwatch-notice-5,2020-10-28T20:00:00+07:00 "
                + "floodwatch@bactramy.gov.vn,floodwatch-notice-6,2020-10-28T20:30:00+07:00")
        #expect(alert.all("info").map { $0.value("severity") } == ["Severe", "Severe"])
        #expect(alert.all("info").map { $0.parameters["previous_level"] } == ["2", "2"])
    }

    @Test func deescalationIsAnUpdateAtTheNewLevel() throws {
        let notice = F.notice(event: F.event(.deescalated, level: 2), previousLevel: 3, earlier: F.earlier)
        let (_, alert) = try document(notice)
        #expect(alert.value("msgType") == "Update")
        #expect(alert.value("references")?.split(separator: " ").count == 2)
        #expect(alert.all("info").map { $0.value("severity") } == ["Moderate", "Moderate"])
        #expect(alert.all("info").map { $0.value("urgency") } == ["Immediate", "Immediate"])
    }

    @Test func clearIsACancelWithTheSeverityItEnds() throws {
        let notice = F.notice(event: F.event(.cleared, level: 0), previousLevel: 3, earlier: F.earlier)
        let (_, alert) = try document(notice)
        #expect(alert.value("msgType") == "Cancel")
        #expect(alert.value("references")?.hasSuffix("floodwatch-notice-6,2020-10-28T20:30:00+07:00") == true)
        let info = try #require(alert.all("info").last)
        #expect(info.value("urgency") == "Past")
        #expect(info.value("severity") == "Severe")
        #expect(info.value("certainty") == "Observed")
        #expect(info.value("event") == "Flood")
        #expect(info.value("headline") == "Câu Lâu: Flood warning, alarm level III — ended")
        #expect(info.value("responseType") == "AllClear")
        #expect(info.value("instruction") == CAPInstructions.allClear.en)
        #expect(info.value("expires") == "2020-10-28T22:00:00+07:00", "a Cancel is shown for an hour")
        #expect(info.parameters["level"] == "0")
    }

    @Test func reminderIsAnUpdateThatSaysNobodyAcknowledged() throws {
        let event = F.event(.escalated, level: 2)
        let notice = F.notice(.reminder, event: event, previousLevel: 2, earlier: F.earlier)
        let (_, alert) = try document(notice)
        #expect(alert.value("msgType") == "Update")
        #expect(alert.value("references")?.contains("floodwatch-notice-5") == true)
        let infos = alert.all("info")
        #expect(infos[0].value("description") == "Nhắc lại: cảnh báo chưa được xác nhận.\n" + event.messageVI)
        #expect(
            infos[1].value("description") == "Reminder: this warning has not been acknowledged yet.\n" + event.messageEN
        )
        #expect(infos[1].value("headline") == "Câu Lâu: Reminder: Flood warning, alarm level II")
        #expect(alert.value("scope") == "Restricted", "a reminder is for staff")
        #expect(alert.value("restriction") != nil)
        #expect(infos[1].value("severity") == "Moderate")
    }

    @Test func forecastIsExpectedAndLikelyWithItsOnset() throws {
        let crossing = F.molave + 2 * 3_600_000 + 30_500
        let notice = F.notice(event: F.event(.raised, level: 3, rule: .forecast, projectedTimestamp: crossing))
        let (_, alert) = try document(notice)
        let info = try #require(alert.all("info").last)
        #expect(info.value("urgency") == "Expected")
        #expect(info.value("certainty") == "Likely")
        #expect(info.value("severity") == "Severe")
        #expect(info.value("category") == "Met")
        #expect(info.value("onset") == "2020-10-28T23:00:30+07:00")
        #expect(info.value("event") == "Flood")
        #expect(info.value("headline") == "Câu Lâu: Trend estimate: the level may reach alarm level III")
        #expect(alert.value("scope") == "Restricted", "a straight line for staff, not a public forecast")
    }

    @Test func rainIsExpectedButObserved() throws {
        let notice = F.notice(event: F.event(.raised, level: 2, rule: .rain, sensor: .rain))
        let (_, alert) = try document(notice)
        let info = try #require(alert.all("info").last)
        #expect(info.value("urgency") == "Expected")
        #expect(info.value("certainty") == "Observed")
        #expect(info.value("severity") == "Moderate")
        #expect(info.value("category") == "Met")
    }

    @Test func fiftySilentGaugesAreOneAlertNamingEach() throws {
        let notice = F.grouped()
        let (_, alert) = try document(notice)
        #expect(alert.value("msgType") == "Alert")
        let infos = alert.all("info")
        #expect(infos.count == 2)
        for info in infos {
            #expect(info.value("category") == "Infra")
            #expect(info.value("urgency") == "Immediate")
            #expect(info.value("certainty") == "Observed")
            // One gauge went silent while its water stood above an alarm level.
            #expect(info.value("severity") == "Moderate")
            #expect(info.parameters["warning_id"]?.split(separator: " ").count == 50)
            #expect(info.parameters["rule"] == "silent")
            let areas = info.all("area")
            #expect(areas.count == 25)
            #expect(areas.first?.value("areaDesc") == "Trạm 01 (Thu Bồn)")
            #expect(areas.first?.value("circle") == "15.51,108.01 10")
        }
        #expect(infos[1].value("event") == "Gauge outage")
        #expect(infos[1].value("headline") == "25 gauges went silent")
        #expect(alert.value("scope") == "Restricted")
        let english = try #require(infos[1].value("description")).split(separator: "\n")
        #expect(english.count == 51)
        #expect(english[1] == "- Trạm 01 (tram-01), water level: Trạm 01: level silent #1")
        #expect(english[50] == "- Trạm 25 (tram-25), rain: Trạm 25: rain silent #50")
        let vietnamese = try #require(infos[0].value("description")).split(separator: "\n")
        #expect(vietnamese[2] == "- Trạm 01 (tram-01), lượng mưa: Trạm 01: mất tín hiệu rain #2")
        for member in notice.members {
            #expect(
                english.contains { $0.contains("(\(member.event.station))") && $0.hasSuffix(member.event.messageEN) })
        }
    }

    @Test func exerciseSaysSo() throws {
        var settings = F.settings
        settings.exercise = true
        let (_, alert) = try document(F.notice(event: F.event(.raised, level: 1)), settings: settings)
        #expect(alert.value("status") == "Exercise")
        #expect(alert.all("info").map { $0.parameters["exercise"] } == ["true", "true"])
        #expect(alert.all("info").map { $0.value("severity") } == ["Minor", "Minor"])
    }

    @Test func markupInTextStaysText() throws {
        let hostile = "a <b>&amp; \"c\" 'd' & e > f]]>\r\n\u{1}"
        let catalogue = StationCatalogue(stations: [
            Station(
                id: "cau-lau", name: "Câu <Lâu> & \"Co\"", river: "Thu 'Bồn'", latitude: -15.85, longitude: 108.22,
                sensors: [F.level])
        ])
        let settings = AlertSettings(sender: "fw&<x>@example.vn", senderName: hostile, areaRadiusKilometres: 2.5)
        let notice = F.notice(event: F.event(.raised, level: 4, messageVI: hostile, messageEN: hostile))
        let text = try #require(CAPDocument.render(notice, catalogue: catalogue, settings: settings))
        try XMLLint.expectValidCAP(text)
        let alert = try XMLNode.parse(text)
        #expect(alert.value("sender") == "fw&<x>@example.vn")
        let expected = "a <b>&amp; \"c\" 'd' & e > f]]>\r\n\u{FFFD}"
        for info in alert.all("info") {
            #expect(info.value("description") == expected)
            #expect(info.value("senderName") == expected)
            #expect(info.value("severity") == "Extreme")
            #expect(info.child("area")?.value("areaDesc") == "Câu <Lâu> & \"Co\" (Thu 'Bồn')")
            #expect(info.child("area")?.value("circle") == "-15.85,108.22 2.5")
        }
    }

    @Test func unknownStationIsNamedByItsID() throws {
        let notice = F.notice(event: F.event(.raised, level: 2, station: "khong-co"))
        let (_, alert) = try document(notice)
        for info in alert.all("info") {
            #expect(info.value("headline")?.hasPrefix("khong-co: ") == true)
            let area = try #require(info.child("area"))
            #expect(area.value("areaDesc") == "khong-co")
            #expect(area.child("circle") == nil)
        }
    }

    @Test func acknowledgementGetsNoDocument() {
        var stored = F.stored(F.event(.acknowledged, level: 3))
        stored.acknowledgedBy = "trực ban"
        let event = Notice(id: 9, kind: .event, createdAt: F.molave, event: stored, previousLevel: 3)
        let reminder = Notice(id: 10, kind: .reminder, createdAt: F.molave, event: stored, previousLevel: 3)
        #expect(CAPDocument.render(event, catalogue: F.catalogue, settings: F.settings) == nil)
        #expect(CAPDocument.render(reminder, catalogue: F.catalogue, settings: F.settings) == nil)
        #expect(CAPMapping(event) == nil)
    }

    @Test(arguments: WarningRule.allCases)
    func severityRisesWithTheLevel(rule: WarningRule) {
        let severities = (1...4).map { CAPMapping.severity(rule: rule, level: $0) }
        if rule == .silent {
            #expect(severities == [.minor, .moderate, .moderate, .moderate])
        } else if rule == .gap {
            #expect(severities == [.minor, .minor, .minor, .minor], "readings lost upstream are never more")
        } else {
            #expect(severities == [.minor, .moderate, .severe, .extreme])
        }
        #expect(CAPMapping.urgency(rule: rule, messageType: .cancel) == .past)
    }

    /// The runner must reject what the schema rejects, or every test above would pass without checking anything.
    @Test func validationCanFail() throws {
        let valid = try #require(
            CAPDocument.render(
                F.notice(event: F.event(.raised, level: 3)), catalogue: F.catalogue, settings: F.settings))
        #expect(try XMLLint.run(valid, capSchema: true).status == 0)

        let utc = valid.replacingOccurrences(of: "2020-10-28T21:00:00+07:00", with: "2020-10-28T14:00:00Z")
        #expect(utc != valid)
        let rejected = try XMLLint.run(utc, capSchema: true)
        #expect(rejected.status != 0)
        #expect(rejected.errors.contains("sent"))

        let swapped = valid.replacingOccurrences(of: "<urgency>Immediate</urgency>", with: "")
            .replacingOccurrences(
                of: "<severity>Severe</severity>", with: "<severity>Severe</severity><urgency>Immediate</urgency>")
        #expect(try XMLLint.run(swapped, capSchema: true).status != 0)

        let broken = valid.replacingOccurrences(of: "</scope>", with: "")
        #expect(try XMLLint.run(broken, capSchema: false).status != 0)
    }
}

@Suite struct AtomFeedTests {
    typealias F = CAPFixtures

    @Test func feedLinksEveryCAPDocument() throws {
        var acknowledged = F.stored(F.event(.acknowledged, level: 3))
        acknowledged.acknowledgedBy = "trực ban"
        let notices = [
            F.notice(id: 7, event: F.event(.raised, level: 3)),
            Notice(id: 9, kind: .event, createdAt: F.molave, event: acknowledged, previousLevel: 3),
            F.grouped(),
        ]
        let text = AtomFeed.render(
            notices, catalogue: F.catalogue, settings: F.settings, baseURL: "https://floodwatch.example.vn/",
            updated: F.molave + 5_000)
        let lint = try XMLLint.run(text, capSchema: false)
        #expect(lint.status == 0, "xmllint: \(lint.errors)")
        let feed = try XMLNode.parse(text)
        #expect(feed.name == "feed")
        #expect(feed.attributes["xmlns"] == AtomFeed.namespace)
        #expect(feed.value("title") == "FloodWatch — cảnh báo đang hiệu lực / active alerts")
        #expect(feed.value("updated") == "2020-10-28T21:00:05+07:00")
        #expect(feed.child("author")?.value("name") == "FloodWatch Quảng Nam")
        let entries = feed.all("entry")
        // The grouped notice (silent gauges) is Restricted: not on the public feed.
        #expect(entries.map { $0.value("id") } == ["urn:floodwatch:floodwatch-notice-7"])
        #expect(entries.map { $0.value("title") } == ["Câu Lâu: Flood warning, alarm level III"])
        #expect(entries.map { $0.value("updated") } == ["2020-10-28T21:00:00+07:00"])
        #expect(entries.first?.value("summary") == notices[0].event?.event.messageEN)
        let links = entries.compactMap { $0.child("link") }
        #expect(links.map { $0.attributes["rel"] } == ["alternate"])
        #expect(links.map { $0.attributes["type"] } == ["application/cap+xml"])
        #expect(links.map { $0.attributes["href"] } == ["https://floodwatch.example.vn/cap/floodwatch-notice-7.xml"])

        let staff = try XMLNode.parse(
            AtomFeed.render(
                notices, catalogue: F.catalogue, settings: F.settings, baseURL: "https://floodwatch.example.vn/",
                updated: F.molave + 5_000, staff: true))
        #expect(staff.value("id") == AtomFeed.staffFeedID)
        #expect(
            staff.all("entry").map { $0.value("title") } == [
                "Câu Lâu: Flood warning, alarm level III", "25 gauges went silent",
            ])
    }

    @Test func exerciseEntriesSaySo() throws {
        var settings = F.settings
        settings.exercise = true
        let text = AtomFeed.render(
            [F.notice(event: F.event(.raised, level: 2))], catalogue: F.catalogue, settings: settings,
            baseURL: "http://localhost:8080", updated: F.molave)
        let feed = try XMLNode.parse(text)
        #expect(feed.child("entry")?.value("title") == "[Exercise] Câu Lâu: Flood warning, alarm level II")
    }

    @Test func emptyFeedIsStillAFeed() throws {
        let text = AtomFeed.render(
            [], catalogue: F.catalogue, settings: F.settings, baseURL: "http://localhost", updated: F.molave)
        #expect(try XMLLint.run(text, capSchema: false).status == 0)
        let feed = try XMLNode.parse(text)
        #expect(feed.all("entry").isEmpty)
        #expect(feed.value("id") == AtomFeed.feedID)
    }
}

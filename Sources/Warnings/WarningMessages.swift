import Gauges

/// One message in both languages.
struct Message: Sendable, Hashable {
    var vi: String
    var en: String
}

/// The texts of the events, in the words of the official flood bulletins (Đài KTTV): short, specific, in Vietnam
/// time ("lúc 21:00 ngày 28/10"), Vietnamese with a decimal comma and English with a decimal point. Every message
/// starts with the station and its river, e.g. `Câu Lâu (Thu Bồn): ` (a rain gauge in a commune: the commune); a
/// warning about a hazard ends with the official risk level of Decision 18/2021/QĐ-TTg, the way bulletins end.
enum WarningMessages {
    /// A slope below this (m/h, either way) is "steady": gauge noise and a slow tide are not a trend.
    static let steadyMetresPerHour = 0.02

    // MARK: Rules

    /// "Ái Nghĩa (Vu Gia): 9,26 m, trên báo động III 0,26 m, thấp hơn lũ lịch sử năm 2009 1,51 m, đang lên, lúc
    /// 21:00 ngày 28/10": the level and its distances first, as bulletins print them ("Ái Nghĩa 9,26 m, trên báo
    /// động III 0,26 m"), so the sentence reads like theirs once the river is left out.
    static func level(
        _ plan: StationPlan, kind: WarningEventKind, level: Int, value: Double, time: Int64, trend: Double?
    ) -> Message {
        let at = LocalTime(time)
        return make(plan, kind) { language in
            var parts = [NumberFormat.metres(value, language) + " m"]
            parts += standing(value, level: level, plan, language)
            if let trend { parts.append(trendWord(trend, language)) }
            parts.append(word("lúc", "at", language) + " " + at.text(language))
            return parts.joined(separator: ", ")
        }
    }

    /// "Ái Nghĩa (Vu Gia): lên 1,20 m trong 1 giờ đến 21:00 ngày 28/10 (ngưỡng 1,00 m)".
    static func rise(
        _ plan: StationPlan, kind: WarningEventKind, rise: Double, windowSeconds: Int, time: Int64, threshold: Double
    ) -> Message {
        let at = LocalTime(time)
        let falling = NumberFormat.centimetres(rise) < 0
        return make(plan, kind) { language in
            let verb = falling ? word("xuống", "fell", language) : word("lên", "rose", language)
            return verb + " " + NumberFormat.metres(rise.magnitude, language) + " m "
                + word("trong", "in", language) + " " + window(windowSeconds, language) + " "
                + word("đến", "to", language) + " " + at.text(language) + " ("
                + word("ngưỡng", "threshold", language) + " " + NumberFormat.metres(threshold, language) + " m)"
        }
    }

    /// "Ái Nghĩa (Vu Gia): ước tính theo xu thế đạt báo động III (9,00 m) khoảng 20:10 ngày 28/10; hiện 8,65 m lúc
    /// 19:00, lên 0,30 m/giờ"; when cleared, that the level was reached or the trend no longer reaches it.
    ///
    /// A straight line through the last readings is a trend estimate for staff, never a forecast: public flood
    /// forecasts (dự báo) are the hydro-meteorological service's to issue, so the word is never used.
    static func forecast(
        _ plan: StationPlan, kind: WarningEventKind, target: AlarmStep, crossing: Int64?, reached: Bool,
        value: Double, time: Int64, metresPerHour: Double
    ) -> Message {
        let at = LocalTime(time)
        // A straight line is no minute-exact estimate: the crossing is given to the nearest 5 minutes.
        let crossingTime = crossing.map { LocalTime(($0 + 150_000).floorDivided(by: 300_000) * 300_000) }
        return make(plan, kind) { language in
            let name =
                alarmName(target, plan, language) + " (" + NumberFormat.metres(target.metres, language) + " m)"
            let head: String
            if let crossingTime, kind != .cleared {
                head =
                    word("ước tính theo xu thế đạt ", "trend estimate: ", language) + name + " "
                    + word("khoảng", "around", language) + " " + crossingTime.text(language)
            } else if reached {
                head = word("đã đạt ", "reached ", language) + name
            } else {
                head =
                    word("ước tính theo xu thế không còn đạt ", "trend estimate: no longer reaching ", language) + name
            }
            let now =
                word("hiện", "now", language) + " " + NumberFormat.metres(value, language) + " m "
                + word("lúc", "at", language) + " "
                + (crossingTime.map { at.text(language, sameDayAs: $0) } ?? at.text(language))
            return head + "; " + now + ", " + rate(metresPerHour, language)
        }
    }

    /// "Trà Kót (xã Trà Liên): mưa 152,3 mm trong 3 giờ đến 14:00 ngày 15/11 (ngưỡng 150 mm)": the place people live
    /// in, the commune, not a river; a gauge without an area keeps its river ("Trà My (Tranh): …").
    static func rain(
        _ plan: StationPlan, kind: WarningEventKind, sum: Double, windowSeconds: Int, time: Int64, threshold: Double
    ) -> Message {
        let at = LocalTime(time)
        let area = plan.area
        let place: (Language) -> String = { language in
            guard let area else { return plan.station.river }
            return language == .vietnamese ? area.fullName : englishName(area)
        }
        return make(plan, kind, place: place) { language in
            let amount = NumberFormat.millimetres(sum, language) + " mm"
            let during = window(windowSeconds, language) + " " + word("đến", "to", language) + " " + at.text(language)
            let limit =
                " (" + word("ngưỡng", "threshold", language) + " "
                + NumberFormat.threshold(millimetres: threshold, language) + " mm)"
            switch language {
            case .vietnamese: return "mưa " + amount + " trong " + during + limit
            case .english: return amount + " of rain in " + during + limit
            }
        }
    }

    /// "Nguy cơ lũ quét, sạt lở đất tại xã Trà Liên: mưa 24 giờ qua 262,0 mm (Trà Kót) đến 08:00 ngày 03/12, đã mưa
    /// trên 2 ngày trước đó. Cấp độ rủi ro thiên tai do lũ quét, sạt lở đất: cấp 1", in the words of the bulletins;
    /// when cleared, the end of the risk (no risk line: there is no risk left to grade).
    static func landslide(
        _ plan: StationPlan, _ area: Area, kind: WarningEventKind, rain: Double, priorDays: Int, time: Int64,
        assessment: RiskAssessment
    ) -> Message {
        let at = LocalTime(time)
        func text(_ language: Language) -> String {
            let place = plan.station.name
            let amount = NumberFormat.millimetres(rain, language) + " mm"
            let days =
                priorDays >= 3
                ? word("đã mưa trên 2 ngày trước đó", "after more than 2 days of rain", language)
                : word(
                    "đã mưa \(priorDays) ngày trước đó", "after \(priorDays) day\(priorDays == 1 ? "" : "s") of rain",
                    language)
            switch (kind, language) {
            case (.cleared, .vietnamese):
                return "Hết nguy cơ lũ quét, sạt lở đất tại " + area.fullName + ": mưa 24 giờ qua " + amount + " ("
                    + place + ") đến " + at.text(language)
            case (.cleared, .english):
                return "Flash flood and landslide risk ended in " + englishName(area) + ": " + amount
                    + " of rain in 24 h at " + place + " to " + at.text(language)
            case (_, .vietnamese):
                return "Nguy cơ lũ quét, sạt lở đất tại " + area.fullName + ": mưa 24 giờ qua " + amount + " ("
                    + place + ") đến " + at.text(language) + ", " + days
            case (_, .english):
                return "Risk of flash floods and landslides in " + englishName(area) + ": " + amount
                    + " of rain in 24 h at " + place + " to " + at.text(language) + ", " + days
            }
        }
        let message = Message(vi: text(.vietnamese), en: text(.english))
        return kind == .cleared ? message : appending(landslideRisk: .assessed(assessment), to: message)
    }

    /// A flood warning's message (`level`, `rise`, `forecast`, the crest) with the risk level of Article 45 as its
    /// last line: "…. Cấp độ rủi ro thiên tai do lũ, ngập lụt: cấp 2" (projected: "… nếu đạt mức này: cấp 2").
    static func appending(floodRisk: RiskStatement, projected: Bool, to message: Message) -> Message {
        func line(_ language: Language) -> String {
            let head =
                projected
                ? word(
                    "Cấp độ rủi ro thiên tai do lũ, ngập lụt nếu đạt mức này: ", "Flood risk level if reached: ",
                    language)
                : word("Cấp độ rủi ro thiên tai do lũ, ngập lụt: ", "Flood risk level: ", language)
            return head + riskValue(floodRisk, language)
        }
        return Message(vi: message.vi + ". " + line(.vietnamese), en: message.en + ". " + line(.english))
    }

    /// A `rain` or `landslide` message with the risk level of Article 46 as its last line: "…. Cấp độ rủi ro thiên
    /// tai do lũ quét, sạt lở đất: cấp 1".
    static func appending(landslideRisk: RiskStatement, to message: Message) -> Message {
        Message(
            vi: message.vi + ". " + riskLine(landslideRisk, .vietnamese),
            en: message.en + ". " + riskLine(landslideRisk, .english))
    }

    /// "Cấp độ rủi ro thiên tai do lũ quét, sạt lở đất: cấp 1" (Article 46), naming the hazard as bulletins do: a
    /// rain message does not name it before.
    static func riskLine(_ statement: RiskStatement, _ language: Language) -> String {
        word("Cấp độ rủi ro thiên tai do lũ quét, sạt lở đất: ", "Flash flood and landslide risk level: ", language)
            + riskValue(statement, language)
    }

    /// "cấp 2" / "2"; that the case is below level 1; or that the level is not determined, and why: the Decision's
    /// text at hand does not decide the case, or the catalogue lacks an input the table needs.
    private static func riskValue(_ statement: RiskStatement, _ language: Language) -> String {
        let undetermined = word("chưa xác định (", "not determined (", language)
        switch statement {
        case .assessed(.level(let level, _)):
            return word("cấp ", "", language) + String(level)
        case .assessed(.none):
            // Below every band of the Article (e.g. a warning held while the 24-hour rain has fallen under 100 mm).
            return word("chưa đến cấp 1", "below level 1", language)
        case .assessed(.undetermined):
            return undetermined
                + word(
                    "văn bản Quyết định 18/2021/QĐ-TTg hiện có chưa quy định trường hợp này)",
                    "the text of Decision 18/2021/QĐ-TTg at hand does not cover this case)", language)
        case .noFloodZone:
            return undetermined
                + word(
                    "chưa có khu vực của trạm theo Quyết định 18/2021/QĐ-TTg)",
                    "the station's zone under Decision 18/2021/QĐ-TTg is not set)", language)
        case .noArea:
            return undetermined
                + word("trạm chưa gắn với xã nào)", "the gauge is in no commune of the catalogue)", language)
        case .noLandslideRisk(let area):
            return undetermined
                + word(
                    "chưa có vùng nguy cơ lũ quét, sạt lở đất của " + area.fullName + ")",
                    "no flash flood and landslide risk zone is set for " + englishName(area) + ")", language)
        case .noProvinceZone:
            return undetermined
                + word(
                    "chưa có khu vực của tỉnh theo Quyết định 18/2021/QĐ-TTg)",
                    "the province's zone under Decision 18/2021/QĐ-TTg is not set)", language)
        }
    }

    /// "Sông Tranh 2 (Tranh): xả 1500 m³/s lúc 17:00 ngày 21/11 (ngưỡng 1000 m³/s), tăng 400 m³/s trong 1 giờ; hạ
    /// du: xã Trà Đốc, xã Trà Tân".
    ///
    /// No risk line: Decision 18/2021/QĐ-TTg grades floods by the water at hydrological stations and flash floods by
    /// rain, and sets no risk level for a reservoir's release; the stations downstream state theirs as the water
    /// reaches them. A level made up here would read as official.
    static func release(
        _ plan: StationPlan, kind: WarningEventKind, outflow: Double, time: Int64, rise: Double?,
        windowSeconds: Int, threshold: Double?
    ) -> Message {
        let at = LocalTime(time)
        return make(plan, kind) { language in
            var text =
                word("xả ", "releasing ", language) + NumberFormat.fixed(outflow, decimals: 0, language) + " m³/s "
                + word("lúc", "at", language) + " " + at.text(language)
            if let threshold {
                text +=
                    " (" + word("ngưỡng", "threshold", language) + " "
                    + NumberFormat.fixed(threshold, decimals: 0, language) + " m³/s)"
            }
            if let rise {
                text +=
                    word(", tăng ", ", up ", language) + NumberFormat.fixed(rise, decimals: 0, language) + " m³/s "
                    + word("trong", "in", language) + " " + window(windowSeconds, language)
            }
            if !plan.downstream.isEmpty {
                let names = plan.downstream.map { language == .vietnamese ? $0.fullName : englishName($0) }
                text += word("; hạ du: ", "; downstream: ", language) + names.joined(separator: ", ")
            }
            return text
        }
    }

    /// "Câu Lâu (Thu Bồn): đỉnh lũ 4,07 m lúc 21:00 ngày 28/10, trên báo động III 0,07 m, thấp hơn lũ lịch sử năm
    /// 2025 1,54 m; hiện 3,96 m lúc 22:00, đang xuống", as bulletins give a crest ("đỉnh lũ … m lúc … giờ ngày …").
    static func crest(_ plan: StationPlan, crest: TimedValue, now: TimedValue) -> Message {
        let crestTime = LocalTime(crest.time)
        return make(plan, .updated) { language in
            var parts = [
                word("đỉnh lũ ", "crest ", language) + NumberFormat.metres(crest.value, language) + " m "
                    + word("lúc", "at", language) + " " + crestTime.text(language)
            ]
            parts += standing(crest.value, level: plan.alarmLevel(of: crest.value), plan, language)
            return parts.joined(separator: ", ") + word("; hiện ", "; now ", language)
                + NumberFormat.metres(now.value, language) + " m " + word("lúc", "at", language) + " "
                + LocalTime(now.time).text(language, sameDayAs: crestTime) + ", " + trendWord(-1, language)
        }
    }

    /// "Sông Tranh 2 (Tranh): mực nước hồ 174,20 m lúc 08:00 ngày 03/12, dưới mực nước dâng bình thường 175,00 m
    /// 0,80 m".
    ///
    /// No risk line: the normal water level is the reservoir's operating level, not a hazard the Decision grades
    /// (it sets no risk level for reservoirs); the release warning tells the communes downstream what follows.
    static func pool(_ plan: StationPlan, kind: WarningEventKind, level: Double, normal: Double, time: Int64)
        -> Message
    {
        let at = LocalTime(time)
        return make(plan, kind) { language in
            let difference = NumberFormat.centimetres(level) - NumberFormat.centimetres(normal)
            let gap = NumberFormat.metres(Double(abs(difference)) / 100, language) + " m"
            let reference =
                word("mực nước dâng bình thường ", "the normal water level, ", language)
                + NumberFormat.metres(normal, language) + " m"
            let relation: String
            switch (difference, language) {
            case (0, _): relation = word("đạt ", "at ", language) + reference
            case (..<0, .vietnamese): relation = "dưới " + reference + " " + gap
            case (..<0, .english): relation = gap + " below " + reference
            case (_, .vietnamese): relation = "trên " + reference + " " + gap
            case (_, .english): relation = gap + " above " + reference
            }
            return word("mực nước hồ ", "reservoir level ", language) + NumberFormat.metres(level, language) + " m "
                + word("lúc", "at", language) + " " + at.text(language) + ", " + relation
        }
    }

    /// "Câu Lâu (Thu Bồn): không nhận được số liệu mực nước từ 08:00 ngày 11/10 (45 phút)", at level 2 with
    /// "; lần cuối 3,20 m, trên báo động II 0,20 m". A notice about the gauge, not a hazard: no risk line.
    static func silent(
        _ plan: StationPlan, kind: WarningEventKind, sensor: SensorKind, lastArrival: Int64, now: Int64,
        high: (value: Double, alarm: AlarmStep)?
    ) -> Message {
        let since = LocalTime(lastArrival)
        return make(plan, kind) { language in
            var text: String
            switch language {
            case .vietnamese: text = "không nhận được số liệu " + sensorName(sensor, language) + " từ "
            case .english: text = "no " + sensorName(sensor, language) + " reading since "
            }
            text += since.text(language) + " (" + duration(now - lastArrival, language) + ")"
            if let high {
                let last =
                    sensor == .level
                    ? word("lần cuối", "last", language)
                    : word("mực nước lần cuối", "last water level", language)
                // Against the alarm level the water stood at, which may be above the one that made this level 2.
                let parts =
                    [last + " " + NumberFormat.metres(high.value, language) + " m"]
                    + standing(high.value, level: plan.alarmLevel(of: high.value), plan, language)
                text += "; " + parts.joined(separator: ", ")
            }
            return text
        }
    }

    /// "Câu Lâu (Thu Bồn): đã có số liệu mực nước trở lại lúc 09:10 ngày 11/10, sau 1 giờ 10 phút gián đoạn — hết
    /// cảnh báo".
    static func silentCleared(_ plan: StationPlan, sensor: SensorKind, lastArrival: Int64, now: Int64) -> Message {
        let at = LocalTime(now)
        return make(plan, .cleared) { language in
            let gap = duration(now - lastArrival, language)
            switch language {
            case .vietnamese:
                return "đã có số liệu " + sensorName(sensor, language) + " trở lại lúc " + at.text(language) + ", sau "
                    + gap + " gián đoạn"
            case .english:
                return sensorName(sensor, language) + " reporting again at " + at.text(language) + ", after " + gap
                    + " without readings"
            }
        }
    }

    /// "Câu Lâu (Thu Bồn): mất 4 gói số liệu mực nước (seq 101–104) giữa 10:00 và 10:20 ngày 11/10 trước khi đến
    /// FloodWatch; …", and the clear when they arrived. A gauge sends packets of readings (gói số liệu); a "bản tin"
    /// is a bulletin, which no gauge sends. A notice about the link, not a hazard: no risk line.
    static func gap(
        _ plan: StationPlan, kind: WarningEventKind, sensor: SensorKind, firstSeq: Int64, lastSeq: Int64,
        after: Int64, before: Int64
    ) -> Message {
        let missing = lastSeq - firstSeq + 1
        let range = firstSeq == lastSeq ? String(firstSeq) : String(firstSeq) + "–" + String(lastSeq)
        let (from, to) = (LocalTime(after), LocalTime(before))
        return make(plan, kind) { language in
            if kind == .cleared {
                return word(
                    "đã nhận đủ các gói số liệu " + sensorName(sensor, language) + " bị thiếu",
                    "the missing " + sensorName(sensor, language) + " readings arrived", language)
            }
            // The date once, after the second time, when both fall on one day: "giữa 10:00 và 10:20 ngày 11/10".
            let sameDay = (from.year, from.month, from.day) == (to.year, to.month, to.day)
            let between =
                (sameDay ? from.clock : from.text(language)) + word(" và ", " and ", language) + to.text(language)
            switch language {
            case .vietnamese:
                return "mất " + String(missing) + " gói số liệu " + sensorName(sensor, language) + " (seq " + range
                    + ") giữa " + between + " trước khi đến FloodWatch; kiểm tra đường truyền và bộ ghi của trạm"
            case .english:
                return String(missing) + " " + sensorName(sensor, language) + " reading" + (missing == 1 ? "" : "s")
                    + " lost before reaching FloodWatch (seq " + range + ") between " + between
                    + "; check the gauge's link and logger"
            }
        }
    }

    // MARK: Pieces

    /// `Station (River): body` (or `Station (place): body`), and ` — hết cảnh báo` when the warning ends.
    private static func make(
        _ plan: StationPlan, _ kind: WarningEventKind, place: ((Language) -> String)? = nil,
        _ body: (Language) -> String
    ) -> Message {
        func text(_ language: Language) -> String {
            var text =
                plan.station.name + " (" + (place?(language) ?? plan.station.river) + "): " + body(language)
            if kind == .cleared { text += word(" — hết cảnh báo", " — warning cleared", language) }
            return text
        }
        return Message(vi: text(.vietnamese), en: text(.english))
    }

    private static func word(_ vietnamese: String, _ english: String, _ language: Language) -> String {
        language == .vietnamese ? vietnamese : english
    }

    /// "Trà Liên commune", "Trà My township", "… ward": the English for `Area.fullName`.
    static func englishName(_ area: Area) -> String {
        switch area.kind {
        case .commune: area.name + " commune"
        case .ward: area.name + " ward"
        case .townlet: area.name + " township"
        }
    }

    /// "báo động III" / "alarm level III"; level 4, the flood of record, "lũ lịch sử năm 2025" / "the 2025 flood of
    /// record": a year, never a value that could be read as a distance above it.
    static func alarmName(_ step: AlarmStep, _ plan: StationPlan, _ language: Language) -> String {
        guard step.level == 4 else { return word("báo động ", "alarm level ", language) + roman(step.level) }
        guard let year = plan.station.record?.year else { return word("lũ lịch sử", "the flood of record", language) }
        return word("lũ lịch sử năm ", "the ", language) + String(year) + word("", " flood of record", language)
    }

    /// Where `value` stands, as bulletins say it: against the alarm level of a warning at `level` (the highest
    /// official one for the record's level 4, the lowest for a clear), and from BĐ III up (or at level 4) against the
    /// flood of record as well: "trên báo động III 0,26 m, thấp hơn lũ lịch sử năm 1964 0,37 m".
    private static func standing(_ value: Double, level: Int, _ plan: StationPlan, _ language: Language)
        -> [String]
    {
        let official = plan.alarms.filter { $0.level <= 3 }
        let reference =
            switch level {
            case ...0: official.first
            case 1...3: plan.alarm(level)
            default: official.last
            }
        var parts: [String] = []
        if let reference { parts.append(relation(value, to: reference, plan, language)) }
        if let record = plan.station.record,
            level >= 4
                || plan.alarm(3).map({ NumberFormat.centimetres(value) >= NumberFormat.centimetres($0.metres) })
                    == true
        {
            parts.append(relation(value, to: AlarmStep(level: 4, metres: record.level), plan, language))
        }
        return parts
    }

    /// "trên báo động III 0,26 m" / "0.26 m above alarm level III", "dưới …" / "… below …", "đạt …" / "at …"; for
    /// the record "trên lũ lịch sử năm 2025 0,05 m" / "0.05 m above the 2025 flood of record", "thấp hơn lũ lịch sử
    /// năm 1964 0,37 m" / "0.37 m below the 1964 flood of record". Bulletins write "trên", never "vượt".
    private static func relation(_ value: Double, to step: AlarmStep, _ plan: StationPlan, _ language: Language)
        -> String
    {
        let difference = NumberFormat.centimetres(value) - NumberFormat.centimetres(step.metres)
        let name = alarmName(step, plan, language)
        if difference == 0 { return word("đạt ", "at ", language) + name }
        let amount = NumberFormat.metres(Double(difference.magnitude) / 100, language) + " m"
        switch language {
        case .vietnamese:
            let below = step.level == 4 ? "thấp hơn " : "dưới "
            return (difference > 0 ? "trên " : below) + name + " " + amount
        case .english: return amount + (difference > 0 ? " above " : " below ") + name
        }
    }

    /// "đang lên" / "rising", "đang xuống" / "falling", "biến đổi chậm" / "steady", the bulletins' three words.
    static func trendWord(_ metresPerHour: Double, _ language: Language) -> String {
        if metresPerHour >= steadyMetresPerHour { return word("đang lên", "rising", language) }
        if metresPerHour <= -steadyMetresPerHour { return word("đang xuống", "falling", language) }
        return word("biến đổi chậm", "steady", language)
    }

    /// "lên 0,30 m/giờ" / "rising 0.30 m/h".
    private static func rate(_ metresPerHour: Double, _ language: Language) -> String {
        guard metresPerHour.magnitude >= steadyMetresPerHour else { return trendWord(0, language) }
        let amount = NumberFormat.metres(metresPerHour.magnitude, language) + word(" m/giờ", " m/h", language)
        return metresPerHour > 0
            ? word("lên ", "rising ", language) + amount : word("xuống ", "falling ", language) + amount
    }

    private static func sensorName(_ sensor: SensorKind, _ language: Language) -> String {
        switch sensor {
        case .level: word("mực nước", "water level", language)
        case .rain: word("mưa", "rain", language)
        case .inflow: word("lưu lượng đến hồ", "inflow", language)
        case .outflow: word("lưu lượng xả", "outflow", language)
        }
    }

    /// "3 giờ" / "3 h", or minutes when not whole hours.
    private static func window(_ seconds: Int, _ language: Language) -> String {
        seconds % 3600 == 0
            ? String(seconds / 3600) + word(" giờ", " h", language) : duration(Int64(seconds) * 1000, language)
    }

    /// "45 phút" / "45 min", "1 giờ 10 phút" / "1 h 10 min" (whole minutes, rounded down).
    static func duration(_ milliseconds: Int64, _ language: Language) -> String {
        let minutes = max(0, milliseconds / 60_000)
        let (hours, rest) = (minutes / 60, minutes % 60)
        let minuteText = String(rest) + word(" phút", " min", language)
        guard hours > 0 else { return minuteText }
        let hourText = String(hours) + word(" giờ", " h", language)
        return rest == 0 ? hourText : hourText + " " + minuteText
    }

    private static func roman(_ level: Int) -> String {
        switch level {
        case 1: "I"
        case 2: "II"
        case 3: "III"
        default: String(level)
        }
    }
}

import Gauges

/// One message in both languages.
struct Message: Sendable, Hashable {
    var vi: String
    var en: String
}

/// The texts of the events: short, specific, in Vietnam time, Vietnamese with a decimal comma and English with a
/// decimal point. Every message starts with the station and its river, e.g. `Câu Lâu (Thu Bồn): `.
enum WarningMessages {
    /// A slope below this (m/h, either way) is "steady": gauge noise and a slow tide are not a trend.
    static let steadyMetresPerHour = 0.02

    // MARK: Rules

    /// "Câu Lâu (Thu Bồn): 4,07 m lúc 08:00 11/10, vượt báo động III 0,07 m, đang lên".
    static func level(
        _ plan: StationPlan, kind: WarningEventKind, level: Int, value: Double, time: Int64, trend: Double?
    ) -> Message {
        let reference = level > 0 ? plan.alarm(level) : plan.alarms.first
        let at = LocalTime(time)
        return make(plan, kind) { language in
            var parts = [
                NumberFormat.metres(value, language) + " m " + word("lúc", "at", language) + " " + at.text(language)
            ]
            if let reference { parts.append(relation(value, to: reference, plan, language)) }
            if let trend { parts.append(trendWord(trend, language)) }
            return parts.joined(separator: ", ")
        }
    }

    /// "Ái Nghĩa (Vu Gia): lên 1,20 m trong 1 giờ đến 21:00 28/10 (ngưỡng 1,00 m)".
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

    /// "Ái Nghĩa (Vu Gia): dự báo đạt báo động III (9,00 m) khoảng 20:10 28/10; hiện 8,62 m lúc 19:00, lên 0,30
    /// m/giờ"; when cleared, that the level was reached or is no longer projected.
    static func forecast(
        _ plan: StationPlan, kind: WarningEventKind, target: AlarmStep, crossing: Int64?, reached: Bool,
        value: Double, time: Int64, metresPerHour: Double
    ) -> Message {
        let at = LocalTime(time)
        // A straight line is no minute-exact forecast: the crossing is given to the nearest 5 minutes.
        let crossingTime = crossing.map { LocalTime(($0 + 150_000).floorDivided(by: 300_000) * 300_000) }
        return make(plan, kind) { language in
            let name = alarmName(target, language) + " (" + NumberFormat.metres(target.metres, language) + " m)"
            let head: String
            if let crossingTime, kind != .cleared {
                head =
                    word("dự báo đạt", "projected to reach", language) + " " + name + " "
                    + word("khoảng", "around", language) + " " + crossingTime.text(language)
            } else if reached {
                head = word("đã đạt", "reached", language) + " " + name
            } else {
                head = word("không còn dự báo đạt", "no longer projected to reach", language) + " " + name
            }
            let now =
                word("hiện", "now", language) + " " + NumberFormat.metres(value, language) + " m "
                + word("lúc", "at", language) + " "
                + (crossingTime.map { at.text(language, sameDayAs: $0) } ?? at.text(language))
            return head + "; " + now + ", " + rate(metresPerHour, language)
        }
    }

    /// "Trà My (Tranh): mưa 152,3 mm trong 3 giờ đến 14:00 15/11 (ngưỡng 150 mm)".
    static func rain(
        _ plan: StationPlan, kind: WarningEventKind, sum: Double, windowSeconds: Int, time: Int64, threshold: Double
    ) -> Message {
        let at = LocalTime(time)
        return make(plan, kind) { language in
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

    /// "Nguy cơ lũ quét, sạt lở đất tại xã Trà Liên: mưa 24 giờ qua 262 mm (Trà Kót) đến 08:00 03/12, đã mưa 3 ngày
    /// trước đó. Cấp độ rủi ro thiên tai: cấp 1", in the words of the bulletins; when cleared, the end of the risk.
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
                return "Flash flood and landslide risk ended in " + area.name + " commune: " + amount
                    + " of rain in 24 h at " + place + " to " + at.text(language)
            case (_, .vietnamese):
                return "Nguy cơ lũ quét, sạt lở đất tại " + area.fullName + ": mưa 24 giờ qua " + amount + " ("
                    + place + ") đến " + at.text(language) + ", " + days + ". " + riskLine(assessment, language)
            case (_, .english):
                return "Risk of flash floods and landslides in " + area.name + " commune: " + amount
                    + " of rain in 24 h at " + place + " to " + at.text(language) + ", " + days + ". "
                    + riskLine(assessment, language)
            }
        }
        return Message(vi: text(.vietnamese), en: text(.english))
    }

    /// A level or forecast message with the flood risk level of Article 45 after it: "…. Cấp độ rủi ro thiên tai do
    /// lũ, ngập lụt: cấp 2" (projected: "… nếu đạt mức này: cấp 2").
    static func appending(floodRisk: RiskAssessment, projected: Bool, to message: Message) -> Message {
        func line(_ language: Language) -> String {
            let head =
                projected
                ? word(
                    "Cấp độ rủi ro thiên tai do lũ, ngập lụt nếu đạt mức này: ", "Flood risk level if reached: ",
                    language)
                : word("Cấp độ rủi ro thiên tai do lũ, ngập lụt: ", "Flood risk level: ", language)
            switch floodRisk {
            case .level(let level, _): return head + word("cấp ", "", language) + String(level)
            case .none: return head + word("chưa đến cấp 1", "below level 1", language)
            case .undetermined:
                return head
                    + word(
                        "chưa xác định (văn bản Quyết định 18/2021/QĐ-TTg hiện có chưa quy định trường hợp này)",
                        "not determined (the text of Decision 18/2021/QĐ-TTg at hand does not cover this case)",
                        language)
            }
        }
        return Message(vi: message.vi + ". " + line(.vietnamese), en: message.en + ". " + line(.english))
    }

    /// "Cấp độ rủi ro thiên tai: cấp 1", that the rain is below level 1, or that the Decision's text found does not
    /// decide it.
    static func riskLine(_ assessment: RiskAssessment, _ language: Language) -> String {
        switch assessment {
        case .level(let level, _):
            return word("Cấp độ rủi ro thiên tai: cấp ", "Natural disaster risk level: ", language) + String(level)
        case .none:
            // Below every band of the Article (e.g. a warning held while the 24-hour rain has fallen under 100 mm).
            return word(
                "Cấp độ rủi ro thiên tai: chưa đến cấp 1", "Natural disaster risk level: below level 1", language)
        case .undetermined:
            return word(
                "Cấp độ rủi ro thiên tai: chưa xác định (văn bản Quyết định 18/2021/QĐ-TTg hiện có chưa quy định "
                    + "trường hợp này)",
                "Natural disaster risk level: not determined (the text of Decision 18/2021/QĐ-TTg at hand does not "
                    + "cover this case)", language)
        }
    }

    /// "Sông Tranh 2 (Tranh): xả 1500 m³/s lúc 17:00 21/11 (ngưỡng 1000 m³/s), tăng 400 m³/s trong 1 giờ; hạ du: xã Trà
    /// Đốc, xã Trà Tân".
    static func release(
        _ plan: StationPlan, kind: WarningEventKind, outflow: Double, time: Int64, rise: Double?,
        windowSeconds: Int, threshold: Double?
    ) -> Message {
        let at = LocalTime(time)
        let downstream = plan.downstream.map(\.fullName)
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
            if !downstream.isEmpty {
                text += word("; hạ du: ", "; downstream: ", language) + downstream.joined(separator: ", ")
            }
            return text
        }
    }

    /// "Câu Lâu (Thu Bồn): đỉnh lũ 4,07 m lúc 21:00 28/10, trên báo động III 0,07 m; hiện 3,95 m lúc 23:00 28/10, đang
    /// xuống".
    static func crest(_ plan: StationPlan, crest: TimedValue, now: TimedValue) -> Message {
        let reached = plan.alarms.last { crest.value >= $0.metres }
        return make(plan, .updated) { language in
            var text =
                word("đỉnh lũ ", "crest ", language) + NumberFormat.metres(crest.value, language) + " m "
                + word("lúc", "at", language) + " " + LocalTime(crest.time).text(language)
            if let reached { text += ", " + relation(crest.value, to: reached, plan, language) }
            return text + word("; hiện ", "; now ", language) + NumberFormat.metres(now.value, language) + " m "
                + word("lúc", "at", language) + " " + LocalTime(now.time).text(language) + ", "
                + trendWord(-1, language)
        }
    }

    /// "Sông Tranh 2 (Tranh): mực nước hồ 174,20 m lúc 08:00 03/12, dưới mực nước dâng bình thường 175,00 m 0,80 m".
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

    /// "Câu Lâu (Thu Bồn): không nhận được số liệu mực nước từ 08:00 11/10 (45 phút)", at level 2 with
    /// "; lần cuối 3,20 m, trên báo động II".
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
                text +=
                    "; " + last + " " + NumberFormat.metres(high.value, language) + " m, "
                    + word("trên", "above", language) + " " + alarmName(high.alarm, language)
            }
            return text
        }
    }

    /// "Câu Lâu (Thu Bồn): đã có số liệu mực nước trở lại lúc 09:10 11/10, sau 1 giờ 10 phút gián đoạn — hết cảnh báo".
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

    /// "4 readings lost upstream (seq 101–104) between 10:00 and 10:20 …", and the clear when they arrived.
    static func gap(
        _ plan: StationPlan, kind: WarningEventKind, sensor: SensorKind, firstSeq: Int64, lastSeq: Int64,
        after: Int64, before: Int64
    ) -> Message {
        let missing = lastSeq - firstSeq + 1
        let range = firstSeq == lastSeq ? String(firstSeq) : String(firstSeq) + "–" + String(lastSeq)
        return make(plan, kind) { language in
            if kind == .cleared {
                return word(
                    "đã nhận đủ các bản tin " + sensorName(sensor, language) + " bị thiếu",
                    "the missing " + sensorName(sensor, language) + " readings arrived", language)
            }
            switch language {
            case .vietnamese:
                return "mất " + String(missing) + " bản tin " + sensorName(sensor, language) + " (seq " + range
                    + ") giữa " + LocalTime(after).text(language) + " và " + LocalTime(before).text(language)
                    + " trước khi đến FloodWatch; kiểm tra đường truyền và bộ ghi của trạm"
            case .english:
                return String(missing) + " " + sensorName(sensor, language) + " reading" + (missing == 1 ? "" : "s")
                    + " lost before reaching FloodWatch (seq " + range + ") between "
                    + LocalTime(after).text(language) + " and " + LocalTime(before).text(language)
                    + "; check the gauge's link and logger"
            }
        }
    }

    // MARK: Pieces

    /// `Station (River): body`, and ` — hết cảnh báo` when the warning ends.
    private static func make(
        _ plan: StationPlan, _ kind: WarningEventKind, _ body: (Language) -> String
    ) -> Message {
        func text(_ language: Language) -> String {
            var text = plan.station.name + " (" + plan.station.river + "): " + body(language)
            if kind == .cleared { text += word(" — hết cảnh báo", " — warning cleared", language) }
            return text
        }
        return Message(vi: text(.vietnamese), en: text(.english))
    }

    private static func word(_ vietnamese: String, _ english: String, _ language: Language) -> String {
        language == .vietnamese ? vietnamese : english
    }

    /// "báo động III" / "alarm level III"; level 4 is the record.
    static func alarmName(_ step: AlarmStep, _ language: Language) -> String {
        if step.level == 4 { return word("mức lũ lịch sử", "the highest flood on record", language) }
        return word("báo động ", "alarm level ", language) + roman(step.level)
    }

    /// "vượt báo động III 0,07 m" / "0.07 m above alarm level III", "dưới …" / "… below …", "đạt …" / "at …";
    /// for the record "vượt mức lũ lịch sử 5,61 m (2025)" / "above the highest flood on record, 5.61 m (2025)".
    private static func relation(_ value: Double, to step: AlarmStep, _ plan: StationPlan, _ language: Language)
        -> String
    {
        let difference = NumberFormat.centimetres(value) - NumberFormat.centimetres(step.metres)
        if step.level == 4 {
            let year = plan.station.record.map { " (" + String($0.year) + ")" } ?? ""
            let record = NumberFormat.metres(step.metres, language) + " m" + year
            switch language {
            case .vietnamese: return (difference >= 0 ? "vượt" : "dưới") + " mức lũ lịch sử " + record
            case .english:
                return (difference >= 0 ? "above" : "below") + " the highest flood on record, " + record
            }
        }
        let name = alarmName(step, language)
        if difference == 0 { return word("đạt ", "at ", language) + name }
        let amount = NumberFormat.metres(Double(difference.magnitude) / 100, language) + " m"
        switch language {
        case .vietnamese: return (difference > 0 ? "vượt " : "dưới ") + name + " " + amount
        case .english: return amount + (difference > 0 ? " above " : " below ") + name
        }
    }

    /// "đang lên" / "rising", "đang xuống" / "falling", "ít thay đổi" / "steady".
    static func trendWord(_ metresPerHour: Double, _ language: Language) -> String {
        if metresPerHour >= steadyMetresPerHour { return word("đang lên", "rising", language) }
        if metresPerHour <= -steadyMetresPerHour { return word("đang xuống", "falling", language) }
        return word("ít thay đổi", "steady", language)
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

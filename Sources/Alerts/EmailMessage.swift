import Foundation
import Gauges

/// A notice as a plain-text e-mail (RFC 5322), Vietnamese first, then English, for the system's sendmail. Header
/// fields are folded and encoded by `MailHeader`.
public enum EmailMessage {
    /// - Parameters:
    ///   - to: the one recipient of this delivery.
    ///   - acknowledgeHint: how an officer acknowledges, e.g. the `floodwatch ack` command line.
    public static func render(
        _ notice: Notice, catalogue: StationCatalogue, settings: AlertSettings, from: String, to: String
    ) -> String {
        let title = NoticeTitle(notice)
        let stations = notice.stations.sorted().map { catalogue[$0]?.name ?? $0 }
        var place = notice.kind == .grouped ? "" : (stations.first.map { $0 + ": " } ?? "")
        if let bulletin = notice.bulletin {
            // "2020-10-28T21:00:00+07:00" → "21:00 28/10/2020: ".
            let time = Array(UnixTime.vietnam(bulletin.at))
            place =
                String(time[11..<16]) + " " + String(time[8..<10]) + "/" + String(time[5..<7]) + "/"
                + String(time[0..<4]) + ": "
        }
        let exercise = settings.exercise ? "[DIỄN TẬP / EXERCISE] " : ""
        let subject = exercise + place + title.vi + " / " + title.en
        let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"

        var body: [String] = []
        if settings.exercise {
            body += ["DIỄN TẬP — không phải cảnh báo thật. EXERCISE — not a real warning.", ""]
        }
        if let bulletin = notice.bulletin {
            body += bulletin.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        } else {
            body += [title.vi, ""]
            body += lines(notice, catalogue: catalogue, english: false)
            body += ["", "-----", "", title.en, ""]
            body += lines(notice, catalogue: catalogue, english: true)
        }
        body += ["", "-----"]
        if let stored = notice.event, notice.kind != .grouped, stored.event.kind != .cleared,
            stored.event.kind != .acknowledged
        {
            body += [
                "Xác nhận đã nhận / Acknowledge: floodwatch ack \(stored.warningID) --by \"Họ tên / Your name\""
            ]
        }
        body += [
            "Mã / Identifier: \(settings.identifier(notice: notice.id))",
            "Gửi lúc / Sent: \(UnixTime.vietnam(notice.createdAt)) — \(settings.senderName)",
        ]

        let headers = [
            MailHeader.mailbox("From", displayName: settings.senderName, address: from),
            "To: " + to,
            MailHeader.text("Subject", subject),
            "Date: " + rfc5322Date(notice.createdAt),
            "Message-ID: <" + settings.identifier(notice: notice.id) + "@" + domain + ">",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: 8bit",
            "Auto-Submitted: auto-generated",
        ]
        return (headers + [""] + body).joined(separator: "\r\n") + "\r\n"
    }

    private static func lines(_ notice: Notice, catalogue: StationCatalogue, english: Bool) -> [String] {
        if notice.kind == .grouped {
            return notice.members.map { member in
                "- " + (english ? member.event.messageEN : member.event.messageVI)
            }
        }
        guard let stored = notice.event else { return [] }
        var lines = [english ? stored.event.messageEN : stored.event.messageVI]
        if notice.kind == .reminder {
            lines.append(
                english
                    ? "Not yet acknowledged. This reminder repeats until an officer acknowledges it or the warning ends."
                    : "Chưa có ai xác nhận. Thông báo này được nhắc lại cho đến khi có người xác nhận hoặc hết cảnh báo."
            )
        }
        if let by = stored.acknowledgedBy {
            lines.append(
                (english ? "Acknowledged by " : "Đã xác nhận bởi ") + by + (stored.note.map { ": " + $0 } ?? ""))
        }
        return lines
    }

    /// `Wed, 28 Oct 2020 21:00:00 +0700`.
    static func rfc5322Date(_ milliseconds: Int64) -> String {
        let local = milliseconds / 1000 + Int64(UnixTime.vietnamOffsetSeconds)
        let days = Int((local - (local % 86_400 + 86_400) % 86_400) / 86_400)
        let secondOfDay = Int((local % 86_400 + 86_400) % 86_400)
        let date = UnixTime.civil(days: days)
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days % 7) + 7) % 7]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][date.month - 1]
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(weekday), \(date.day) \(month) \(date.year) \(pad(secondOfDay / 3600)):\(pad(secondOfDay % 3600 / 60))"
            + ":\(pad(secondOfDay % 60)) +0700"
    }
}

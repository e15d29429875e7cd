import Alerts
import ArgumentParser
import Foundation
import Gauges
import Storage

/// `floodwatch alerts`: what was sent, what failed and why.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "List recent alert deliveries per channel with their status and the last error.",
        discussion: """
            First a count per channel and receiver (sent, pending, failed), then the latest deliveries, newest \
            first. Pending deliveries show when they are tried next; failed ones gave up after the retry period \
            (24 h by default). Times are Vietnam time.
            """
    )

    @Option(help: ArgumentHelp("How many recent deliveries to list.", valueName: "n"))
    var limit = 30

    @Option(help: ArgumentHelp("Only this channel: mqtt, webhook or email.", valueName: "channel"))
    var channel: String?

    @Option(help: ArgumentHelp("Only this status: pending, sent or failed.", valueName: "status"))
    var status: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let channel, AlertChannel(rawValue: channel) == nil {
            throw ValidationError("--channel must be mqtt, webhook or email")
        }
        if let status, !["pending", "sent", "failed"].contains(status) {
            throw ValidationError("--status must be pending, sent or failed")
        }
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1 to 10000") }
    }

    func run() throws {
        let database: FloodDatabase
        let counts: [DeliveryCount]
        let log: [DeliveryLogEntry]
        let unrouted: Int
        do {
            database = try store.open().database
            counts = try database.deliveryCounts()
            log = try database.deliveryLog(limit: limit, channel: channel.flatMap(AlertChannel.init), status: status)
            unrouted = try database.unroutedNoticeCount()
        } catch {
            ServeCommand.fail(error)
        }
        print(Self.render(counts: counts, log: log, unrouted: unrouted))
    }

    static func render(counts: [DeliveryCount], log: [DeliveryLogEntry], unrouted: Int) -> String {
        var lines: [String] = []
        if counts.isEmpty {
            lines.append("No alert deliveries yet.")
        } else {
            lines.append("Deliveries per receiver:")
            let grouped = Dictionary(grouping: counts) { "\($0.channel.rawValue)\u{0}\($0.target)" }
            for key in grouped.keys.sorted() {
                let rows = grouped[key]!
                let text = ["sent", "pending", "failed"].compactMap { status in
                    rows.first { $0.status == status }.map { "\($0.count) \(status)" }
                }.joined(separator: ", ")
                lines.append(
                    "  " + pad(rows[0].channel.rawValue, 8) + pad(rows[0].target, 34) + text
                        + (rows.contains { $0.status == "failed" } ? "   <- FAILED deliveries" : ""))
            }
        }
        if unrouted > 0 {
            lines.append("\(unrouted) notices wait to be routed (storm control window, or the service is not running).")
        }
        if !log.isEmpty {
            lines.append("")
            lines.append("Latest deliveries (Vietnam time, newest first):")
            lines.append(
                "  " + pad("created", 20) + pad("notice", 8) + pad("channel", 8) + pad("target", 26)
                    + pad("status", 9) + pad("tries", 6) + "about / last error")
            for entry in log {
                var about = entry.subject
                switch entry.status {
                case "pending":
                    about += " — next try " + UnixTime.vietnam(entry.nextAttemptAt)
                    if let error = entry.lastError { about += ", last error: " + error }
                case "failed":
                    about += " — gave up: " + (entry.lastError ?? "?")
                default:
                    if let sent = entry.sentAt { about += " — sent " + UnixTime.vietnam(sent) }
                }
                lines.append(
                    "  " + pad(String(UnixTime.vietnam(entry.createdAt).prefix(19)), 20) + pad("\(entry.noticeID)", 8)
                        + pad(entry.channel.rawValue, 8) + pad(entry.target, 26) + pad(entry.status, 9)
                        + pad("\(entry.attempts)", 6) + about)
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

import Foundation
import GRDB
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A flood of hostile payloads at the `serve` binary: it rejects each with its reason, its memory stays bounded,
/// and the next good reading is stored. (Each kind on its own, with its reason: `Bad input over MQTT`.)
@Suite("Hostile input", .timeLimit(.minutes(3)), .blockingAllowed, .takingTurns)
struct HostileInputTests {
    /// Peak resident memory of a process (VmHWM), in MiB.
    static func peakMemoryMiB(_ pid: pid_t) -> Double {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }

    @Test("150 hostile payloads of up to 256 KiB and full-size backlogs: memory stays bounded, good readings stored")
    func floodOfHostilePayloads() async throws {
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker)
        let process = try await service.start()
        let publisher = try broker.publisher()
        let now = Int(Date().timeIntervalSince1970)

        let nearLimit = 250 * 1024
        let hostile: [String] = [
            String(repeating: "[", count: nearLimit / 2) + String(repeating: "]", count: nearLimit / 2),
            String(repeating: #"{"a":"#, count: nearLimit / 5),
            #"{"ts":1,"value":""# + String(repeating: "\\u0000", count: nearLimit / 6) + "\"}",
            "[" + String(repeating: "1e308,", count: nearLimit / 6) + "1]",
            "["
                + Array(repeating: #"{"ts":9223372036854775807,"value":-0}"#, count: nearLimit / 40).joined(
                    separator: ",")
                + "]",
        ]
        let topics = ["gauges/cau-lau/level", "gauges/x'); DROP TABLE readings;--/level", "gauges/cau-lau"]
        let rounds = 10
        for _ in 0..<rounds {
            for payload in hostile {
                for topic in topics { try publisher.publish(topic: topic, text: payload) }
            }
        }
        // Backlogs as large as a payload may be: two days of 5-minute readings each, stored whole.
        let backlogs = 4
        for backlog in 0..<backlogs {
            let first = now - (backlog + 1) * 576 * 300
            let readings = (0..<576).map { #"{"ts":\#(first + $0 * 300),"value":\#(Double($0 % 300) / 100)}"# }
            try publisher.publish(topic: "gauges/hoi-an/level", text: "[" + readings.joined(separator: ",") + "]")
        }
        // -0 from a rain gauge is a dry reading, stored as 0.
        try publisher.publish(topic: "gauges/cau-lau/rain", text: #"{"ts":\#(now),"value":-0}"#)
        try publisher.publish(topic: "gauges/giao-thuy/level", text: #"{"ts":\#(now),"value":3.25}"#)
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 60))

        let good = backlogs * 576 + 2
        #expect(
            try await eventually(timeoutSeconds: 90) {
                try service.query {
                    try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM readings WHERE station = 'giao-thuy'")
                } == 1
            }, "the good reading after them is stored")
        #expect(try service.readingCount() == good)
        let rejected = try service.query { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM rejected") ?? 0 }
        #expect(rejected >= rounds * hostile.count * topics.count, "each hostile payload has its rejected row")
        let rain = try service.query {
            try String.fetchOne(
                $0, sql: "SELECT quote(value) FROM readings WHERE station = 'cau-lau' AND sensor = 'rain'")
        }
        #expect(rain == "0.0", "-0 is stored as 0")
        let peak = Self.peakMemoryMiB(process.pid)
        print("hostile input: \(rounds * hostile.count * topics.count) hostile payloads, peak memory \(peak) MiB")
        #expect(peak > 0 && peak < 150, "peak resident memory \(peak) MiB")
        #expect(try service.query { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)
    }
}

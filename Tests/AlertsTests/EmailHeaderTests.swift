import Alerts
import Foundation
import Gauges
import Testing
import Warnings

/// E-mail header fields that every mail system carries and every reader decodes whole: folded lines (RFC 5322)
/// and encoded words of at most 75 characters holding whole characters (RFC 2047), checked against Python's
/// e-mail parser, a widely used reader of real mail.
@Suite("E-mail headers")
struct EmailHeaderTests {
    typealias F = CAPFixtures

    /// Sông Tranh 2's spillway gauge under a name as long as official ones get, and the district's command.
    static let longName = "Trạm thủy văn hạ lưu đập Sông Tranh 2, cửa xả tràn, xã Trà Đốc, huyện Bắc Trà My"
    static let senderName = "Ban Chỉ huy Phòng chống thiên tai và Tìm kiếm cứu nạn huyện Bắc Trà My, tỉnh Quảng Nam"

    static func message(stationName: String, senderName: String, exercise: Bool = true) -> String {
        let station = Station(
            id: "cau-lau", name: stationName, river: "Thu Bồn", latitude: 15.85, longitude: 108.22,
            sensors: [F.level], alarmLevels: AlarmLevels(levelI: 2.00, levelII: 3.00, levelIII: 4.00))
        var settings = F.settings
        settings.senderName = senderName
        settings.exercise = exercise
        return EmailMessage.render(
            F.notice(event: F.event(.escalated, level: 3), previousLevel: 2),
            catalogue: StationCatalogue(stations: [station]), settings: settings,
            from: "floodwatch@bactramy.gov.vn", to: "duty@bactramy.gov.vn")
    }

    /// The header block's lines, as sent.
    static func headerLines(_ message: String) -> [Substring] {
        message.components(separatedBy: "\r\n\r\n")[0].split(separator: "\r\n", omittingEmptySubsequences: false)
    }

    @Test("a long subject and sender name: lines of at most 76 characters, words of at most 75, read back whole")
    func longFieldsFoldAndDecode() throws {
        let text = Self.message(stationName: Self.longName, senderName: Self.senderName)
        let lines = Self.headerLines(text)
        #expect(lines.filter { $0.hasPrefix(" ") }.count >= 4, "the subject and sender are folded:\n\(text)")
        for line in lines {
            #expect(line.utf8.count <= 76, "line of \(line.utf8.count): \(line)")
        }
        let words = lines.flatMap { $0.split(separator: " ") }.filter { $0.hasPrefix("=?") }
        #expect(words.count >= 6)
        for word in words {
            #expect(word.count <= 75, "\(word)")
            let base64 = try #require(word.wholeMatch(of: /=\?UTF-8\?B\?([A-Za-z0-9+\/=]+)\?=/)?.output.1)
            let bytes = try #require(Data(base64Encoded: String(base64)))
            #expect(String(validating: bytes, as: UTF8.self) != nil, "whole characters in each word: \(word)")
        }

        let read = try PythonMail.read(text)
        #expect(
            read.subject
                == "[DIỄN TẬP / EXERCISE] \(Self.longName): Cảnh báo lũ, báo động III / Flood warning, alarm level III")
        #expect(read.rfc2047DisplayName == Self.senderName)
        // Python's address parser keeps the space between two encoded words of a name, which RFC 2047 §6.2 drops:
        // a long run of Vietnamese words, cut in two, shows a double space there and nothing else differs.
        #expect(read.displayName.replacingOccurrences(of: "  ", with: " ") == Self.senderName)
        #expect(read.address == "floodwatch@bactramy.gov.vn")
        #expect(read.defects.isEmpty, "\(read.defects)")
    }

    @Test("a plain sender name with a comma is quoted; a short one stays on one line")
    func plainSender() throws {
        let text = Self.message(stationName: "Câu Lâu", senderName: "FloodWatch, Quang Nam", exercise: false)
        #expect(text.contains("From: \"FloodWatch, Quang Nam\" <floodwatch@bactramy.gov.vn>\r\n"))
        let read = try PythonMail.read(text)
        #expect(read.displayName == "FloodWatch, Quang Nam")
        #expect(read.rfc2047DisplayName == "FloodWatch, Quang Nam")
        #expect(read.subject == "Câu Lâu: Cảnh báo lũ, báo động III / Flood warning, alarm level III")
        #expect(read.defects.isEmpty, "\(read.defects)")
    }
}

/// Python's `email` package (standard library) reading a message as a mail client would.
enum PythonMail {
    struct Read: Decodable {
        var subject: String
        var displayName: String
        /// The display name as RFC 2047 decodes it (`email.header`, the package's RFC 2047 decoder).
        var rfc2047DisplayName: String
        var address: String
        var defects: [String]
    }

    // A raw string: Python reads its own escapes.
    static let script = #"""
        import email, email.header, email.policy, json, re, sys
        raw = open(sys.argv[1], "rb").read()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        sender = message["from"].addresses[0]
        # The From field as sent, unfolded, without the address; quotes of a quoted name removed.
        unfolded = re.sub(r"\r\n[ \t]", " ", raw.split(b"\r\n\r\n")[0].decode("ascii"))
        phrase = re.search(r"^From: (.*) <[^>]*>\r?$", unfolded, re.M).group(1).strip('"')
        rfc2047 = str(email.header.make_header(email.header.decode_header(phrase)))
        defects = [repr(d) for d in message.defects]
        for name in ("subject", "from"):
            defects += [repr(d) for d in message[name].defects]
        print(json.dumps({"subject": str(message["subject"]), "displayName": sender.display_name,
                          "rfc2047DisplayName": rfc2047, "address": sender.addr_spec, "defects": defects}))
        """#

    static func read(_ message: String) throws -> Read {
        let folder = FileManager.default.temporaryDirectory
        let input = folder.appendingPathComponent("floodwatch-mail-\(UUID().uuidString).eml")
        let output = folder.appendingPathComponent("floodwatch-mail-\(UUID().uuidString).json")
        try Data(message.utf8).write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: input)
            try? FileManager.default.removeItem(at: output)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, input.path]
        // A file, not a pipe: nothing of another child process can hold it open.
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PythonMailError(description: "python3 could not read the message (see its error above):\n\(message)")
        }
        return try JSONDecoder().decode(Read.self, from: Data(contentsOf: output))
    }
}

struct PythonMailError: Error, CustomStringConvertible {
    let description: String
}

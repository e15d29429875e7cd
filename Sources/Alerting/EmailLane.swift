import Alerts
import Foundation
import Gauges

/// Hands each e-mail to the system's sendmail interface (msmtp, postfix, exim), which queues or relays it.
/// A zero exit status means the mail system accepted the message; anything else is retried.
struct EmailLane: DeliveryLane {
    let email: EmailSettings
    let catalogue: StationCatalogue
    let settings: AlertSettings
    /// A sendmail that has not finished by then is stopped and the attempt counts as failed.
    var timeoutSeconds = 30.0

    var channel: AlertChannel { .email }

    func deliver(_ notice: Notice, to address: String) -> DeliveryOutcome {
        guard let executable = email.command.first else { return .failed("no sendmail command configured") }
        let message = EmailMessage.render(
            notice, catalogue: catalogue, settings: settings, from: email.from, to: address)
        // The message goes in, and sendmail's answer comes out, through files rather than pipes: a pipe's end
        // inherited by any other child process (FloodWatch's or a test's) would keep sendmail waiting for the end
        // of its input, or us for the end of its output, for ever.
        let folder = FileManager.default.temporaryDirectory
        let name = "floodwatch-mail-\(UUID().uuidString)"
        let inputURL = folder.appendingPathComponent(name + ".eml")
        let outputURL = folder.appendingPathComponent(name + ".out")
        defer {
            try? FileManager.default.removeItem(at: inputURL)
            try? FileManager.default.removeItem(at: outputURL)
        }
        guard FileManager.default.createFile(atPath: inputURL.path, contents: Data(message.utf8)),
            FileManager.default.createFile(atPath: outputURL.path, contents: nil),
            let input = FileHandle(forReadingAtPath: inputURL.path),
            let output = FileHandle(forWritingAtPath: outputURL.path)
        else {
            return .failed("cannot write the message to \(folder.path)")
        }
        defer {
            try? input.close()
            try? output.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // -f: the envelope sender, where bounces go (sendmail, postfix, exim and msmtp all take it).
        process.arguments = Array(email.command.dropFirst()) + ["-f", email.from, "--", address]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            return .failed("cannot run \(executable): \(error.localizedDescription)")
        }
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return .failed("\(executable) did not finish within \(Int(timeoutSeconds)) s")
        }
        let said = ((try? String(contentsOf: outputURL, encoding: .utf8)) ?? "").prefix(300)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if process.terminationStatus == 0 { return .delivered }
        return .failed(
            "\(executable) exited with status \(process.terminationStatus)" + (said.isEmpty ? "" : ": " + said))
    }
}

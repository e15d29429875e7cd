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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // -f: the envelope sender, where bounces go (sendmail, postfix, exim and msmtp all take it).
        process.arguments = Array(email.command.dropFirst()) + ["-f", email.from, "--", address]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            return .failed("cannot run \(executable): \(error.localizedDescription)")
        }
        // Mail is small (a few KiB), well under a pipe's buffer, so writing before reading cannot block.
        input.fileHandleForWriting.write(Data(message.utf8))
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return .failed("\(executable) did not finish within \(Int(timeoutSeconds)) s")
        }
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile().prefix(300), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if process.terminationStatus == 0 { return .delivered }
        return .failed(
            "\(executable) exited with status \(process.terminationStatus)" + (said.isEmpty ? "" : ": " + said))
    }
}

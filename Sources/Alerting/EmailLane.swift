import Alerts
import Foundation
import Gauges
import Synchronization

/// Hands each e-mail to the system's sendmail interface (msmtp, postfix, exim), which queues or relays it.
/// A zero exit status means the mail system accepted the message; anything else is retried.
struct EmailLane: DeliveryLane {
    let email: EmailSettings
    let catalogue: StationCatalogue
    let settings: AlertSettings
    /// A sendmail that has not finished by then is stopped and the attempt counts as failed.
    var timeoutSeconds = 30.0
    /// The sendmail running now, if any, for `interrupt()`.
    private let running = RunningSendmail()

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
        // Its exit wakes this thread: no polling while the mail system works.
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            return .failed("cannot run \(executable): \(error.localizedDescription)")
        }
        guard running.started(process.processIdentifier) else {
            // The service stopped before sendmail started: it is not given the message.
            kill(process.processIdentifier, SIGTERM)
            exited.wait()
            return .failed("the service stopped before \(executable) was done; tried again at the next start")
        }
        let finished = exited.wait(timeout: .now() + timeoutSeconds) == .success
        let interrupted = running.finished()
        if !finished {
            process.terminate()
            exited.wait()
            return .failed("\(executable) did not finish within \(Int(timeoutSeconds)) s")
        }
        if process.terminationReason == .exit, process.terminationStatus == 0 { return .delivered }
        if interrupted {
            return .failed("the service stopped before \(executable) was done; tried again at the next start")
        }
        let said = ((try? String(contentsOf: outputURL, encoding: .utf8)) ?? "").prefix(300)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return .failed(
            "\(executable) exited with status \(process.terminationStatus)" + (said.isEmpty ? "" : ": " + said))
    }

    /// Stops the sendmail running now (SIGTERM), so that a stopping service does not wait for it.
    func interrupt() {
        running.interrupt()
    }
}

/// The process id of the sendmail a lane runs now, and whether the lane was interrupted meanwhile.
private final class RunningSendmail: Sendable {
    private struct State {
        var pid: pid_t?
        var interrupted = false
    }
    private let state = Mutex(State())

    /// Notes the child; false when the lane was interrupted already (the caller stops the child).
    func started(_ pid: pid_t) -> Bool {
        state.withLock { state in
            state.pid = pid
            return !state.interrupted
        }
    }

    /// Forgets the child; returns whether the lane was interrupted while it ran.
    func finished() -> Bool {
        state.withLock { state in
            state.pid = nil
            return state.interrupted
        }
    }

    /// From another thread: stops the child if one runs; later children are stopped as they start.
    func interrupt() {
        state.withLock { state in
            state.interrupted = true
            if let pid = state.pid { kill(pid, SIGTERM) }
        }
    }
}

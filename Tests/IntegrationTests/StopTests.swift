import Foundation
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SIGTERM stops `floodwatch serve` promptly: systemd waits for it on every restart, and an operator on the
/// typhoon night should not wonder whether it hung. Intake stops at once; the batch in hand is committed and
/// acknowledged first.
@Suite("Stopping the floodwatch binary", .serialized, .timeLimit(.minutes(3)), .blockingAllowed, .takingTurns)
struct StopTests {
    /// Exit within this many seconds of SIGTERM, or the test fails (the target is well under a second idle).
    static let limitSeconds = 5.0

    /// Sends SIGTERM and returns the seconds until the process exited, or nil when it was still running at the limit.
    static func stop(_ process: ChildProcess) -> (seconds: Double, status: Int32)? {
        let began = ContinuousClock.now
        process.signal(SIGTERM)
        guard let status = process.waitForExit(timeoutSeconds: limitSeconds) else { return nil }
        let elapsed = ContinuousClock.now - began
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, status)
    }

    @Test("idle, serve exits with status 0 within 5 s of SIGTERM")
    func idle() async throws {
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker)
        let process = try await service.start()
        try await Task.sleep(for: .seconds(1))
        let stopped = try #require(Self.stop(process), "serve still ran \(Self.limitSeconds) s after SIGTERM")
        #expect(stopped.status == 0)
        #expect(stopped.seconds < Self.limitSeconds)
        #expect(process.output.contains("Ingest stopped"))
    }

    @Test("while readings arrive, serve exits within 5 s of SIGTERM and every acknowledged reading is stored")
    func underLoad() async throws {
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker)
        let process = try await service.start()
        let publisher = try broker.publisher()
        let published = Mutex(0)
        let stopPublishing = Atomic<Bool>(false)
        // About 2,000 readings a second, in small steady steps, until the test says stop.
        let publishing = Task {
            try await onOwnThread {
                var i = 0
                while !stopPublishing.load(ordering: .relaxed), i < 100_000 {
                    let (topic, text) = DurabilityTests.payload(i)
                    try publisher.publish(topic: topic, text: text)
                    i += 1
                    published.withLock { $0 = i }
                    if i % 20 == 0 { usleep(10_000) }
                }
                return publisher.waitForAcknowledgements(timeoutSeconds: 60)
            }
        }
        #expect(try await eventually(timeoutSeconds: 30) { try service.readingCount() >= 2000 })
        let stopped = Self.stop(process)
        stopPublishing.store(true, ordering: .relaxed)
        #expect(try await publishing.value, "the broker took every reading")
        publisher.disconnect()
        let result = try #require(stopped, "serve still ran \(Self.limitSeconds) s after SIGTERM under load")
        #expect(result.status == 0)
        #expect(result.seconds < Self.limitSeconds)

        // What was not stored before the stop is still queued for the session: a restart stores all of it.
        let total = published.withLock { $0 }
        let again = try await service.start()
        #expect(try await eventually(timeoutSeconds: 60) { try service.readingCount() >= total })
        again.signal(SIGTERM)
        #expect(again.waitForExit(timeoutSeconds: 20) == 0)
        #expect(try service.readingCount() == total)
    }
}

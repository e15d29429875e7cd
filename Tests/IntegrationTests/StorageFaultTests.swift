import Foundation
import GRDB
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// When the database cannot be written, FloodWatch acknowledges nothing, says why, keeps retrying, and once writing
/// works again stores everything the broker held for it.
@Suite("A full disk", .timeLimit(.minutes(3)), .blockingAllowed, .takingTurns)
struct StorageFaultTests {
    static let total = 3000

    static func readyz(_ service: ServiceProcess) async -> (status: Int, body: String) {
        guard
            let (data, response) = try? await URLSession(configuration: .ephemeral).data(
                from: URL(string: "http://127.0.0.1:\(service.httpPort)/readyz")!)
        else { return (0, "") }
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Int32? {
        let folder = try TestPaths.temporaryDirectory("fault-tool")
        let process = try ChildProcess(executable, arguments, outputPath: folder + "/out.log")
        return process.waitForExit(timeoutSeconds: 30)
    }

    /// Publishes `total` readings while writing fails, checks that FloodWatch cannot store them all and says why,
    /// then lets `repair` give the space back and checks that every reading arrives, once.
    static func outage(
        service: ServiceProcess, broker: TestBroker, process: ChildProcess, expectedError: String,
        break breakWriting: () throws -> Void, repair: () throws -> Void
    ) async throws {
        // One reading first, stored while the disk still has room.
        let publisher = try broker.publisher()
        try publisher.publish(topic: "gauges/hoi-an/level", text: #"{"ts":1700000000,"value":0.4,"seq":\#(total)}"#)
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 10))
        #expect(try await eventually { try service.readingCount() == 1 })

        try breakWriting()
        for i in 0..<total {
            let (topic, text) = DurabilityTests.payload(i)
            try publisher.publish(topic: topic, text: text)
        }
        #expect(publisher.waitForAcknowledgements(timeoutSeconds: 30), "the broker holds them for FloodWatch")
        #expect(
            try await eventually { process.output.contains("Cannot store readings; nothing is acknowledged") },
            "\(process.output.suffix(3000))")
        #expect(process.output.contains(expectedError), "\(process.output.suffix(3000))")
        // Asked until it says so: a batch that still fits (below) clears the error until the next one fails.
        var down = await readyz(service)
        let saidDown = try await eventuallyAsync(timeoutSeconds: 10) {
            down = await readyz(service)
            return down.status == 503 && down.body.contains("cannot write")
        }
        #expect(saidDown, "/readyz says the database cannot be written: \(down.body)")
        try await Task.sleep(for: .seconds(1))
        // Some batches may still commit while the disk is full: once the checkpoint thread has copied the log into
        // the database file, SQLite writes the log again from its start, into space the file already holds. Those
        // are stored, then acknowledged; the rest wait at the broker.
        let storedWhileFull = try service.readingCount()
        #expect(storedWhileFull <= total, "writing fails: the readings do not all get through while the disk is full")
        #expect(process.isRunning, "it keeps trying instead of giving up")

        try repair()
        #expect(
            try await eventually(timeoutSeconds: 90) { try service.readingCount() == total + 1 },
            "\(process.output.suffix(3000))")
        #expect(await readyz(service).status == 200)
        let summary = try service.query { db in
            try Row.fetchOne(
                db, sql: "SELECT \(DurabilityTests.distinctCounted) AS seqs, COUNT(*) AS rows FROM readings")
        }
        #expect(summary?["seqs"] as Int? == total + 1 && summary?["rows"] as Int? == total + 1)
        #expect(try service.query { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)
    }

    @Test(
        "a full disk (a 4 MB file system filled up): nothing acknowledged, retried, all stored once space is back",
        .enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
    func fullDisk() async throws {
        let mountPoint = try TestPaths.temporaryDirectory("small-disk")
        let mounted = try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint])
        try #require(mounted == 0, "mount -t tmpfs")
        defer { _ = try? Self.run("/bin/umount", ["-l", mountPoint]) }
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker, databaseFolder: mountPoint)
        let process = try await service.start()
        let ballast = mountPoint + "/ballast"
        try await Self.outage(
            service: service, broker: broker, process: process, expectedError: "database or disk is full",
            break: {
                // Fill what is left, as other files on a real disk would: to the last byte, or the few pages a
                // 64 KiB chunk left free would hold a thousand readings and the disk would not be quite full.
                _ = FileManager.default.createFile(atPath: ballast, contents: nil)
                let handle = try #require(FileHandle(forWritingAtPath: ballast))
                for size in [64 * 1024, 4096, 1] {
                    let chunk = Data(count: size)
                    while (try? handle.write(contentsOf: chunk)) != nil {}
                }
                try? handle.close()
            },
            repair: { try FileManager.default.removeItem(atPath: ballast) })
    }
}

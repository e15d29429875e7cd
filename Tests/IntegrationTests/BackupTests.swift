import Foundation
import GRDB
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// An operator's night: `floodwatch backup` while readings pour in, a damaged database file, and putting a backup
/// back the way docs/operations.md ("Restoring a backup") says.
@Suite("Backup, restore and a damaged database", .timeLimit(.minutes(3)), .blockingAllowed, .takingTurns)
struct BackupTests {
    static func runFloodwatch(_ arguments: [String], in folder: String) throws -> (status: Int32?, output: String) {
        let process = try ChildProcess(
            try TestPaths.executable("floodwatch"), arguments,
            outputPath: folder + "/floodwatch-\(UInt32.random(in: 0...UInt32.max)).log")
        let status = process.waitForExit(timeoutSeconds: 60)
        return (status, process.output)
    }

    @Test("a backup taken while readings arrive is whole; restored as operations.md says, the service starts on it")
    func backupWhileRunningThenRestore() async throws {
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker)
        var process = try await service.start()
        let folder = try TestPaths.temporaryDirectory("backups")

        // The gauges publish until the backup is done (at most 40,000 readings), so it is taken mid-stream however
        // slowly the backup process starts on a loaded machine.
        let backupDone = Mutex(false)
        let publisher = try broker.publisher()
        let publishing = Task {
            try await onOwnThread {
                var published = 0
                while published < 40_000, !backupDone.withLock({ $0 }) {
                    let (topic, text) = DurabilityTests.payload(published)
                    try publisher.publish(topic: topic, text: text)
                    published += 1
                    if published % 20 == 0 { usleep(10_000) }
                }
                return (published, publisher.waitForAcknowledgements(timeoutSeconds: 60))
            }
        }
        #expect(try await eventually { try service.readingCount() >= 500 })
        let backup = folder + "/floodwatch-mid-stream.sqlite"
        let made = try Self.runFloodwatch(["backup", "--database", service.databasePath, backup], in: folder)
        try await Task.sleep(for: .milliseconds(200))  // readings still arrive after the backup
        backupDone.withLock { $0 = true }
        #expect(made.status == 0, "\(made.output)")
        #expect(made.output.contains("integrity ok"), "\(made.output)")
        let (total, acknowledged) = try await publishing.value
        #expect(acknowledged)
        #expect(try await eventually(timeoutSeconds: 60) { try service.readingCount() == total })

        // The copy is one file, sound, and a moment of the live database: a prefix of what the gauges sent.
        #expect(!FileManager.default.fileExists(atPath: backup + "-wal"))
        var readOnly = Configuration()
        readOnly.readonly = true
        let copy = try DatabaseQueue(path: backup, configuration: readOnly)
        let counted: (Int, Int, String?) = try await copy.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM readings") ?? 0,
                // The index of the newest reading (DurabilityTests.payload: one a minute from 1,700,000,000 s).
                try Int.fetchOne(db, sql: "SELECT (MAX(ts) / 1000 - 1700000000) / 60 FROM readings") ?? -1,
                try String.fetchOne(db, sql: "PRAGMA integrity_check")
            )
        }
        let (copied, highest, integrity) = counted
        try copy.close()
        #expect(integrity == "ok")
        #expect(copied >= 500 && copied < total, "taken mid-stream: \(copied) of \(total)")
        #expect(made.output.contains("\(copied) readings"))
        #expect(highest == copied - 1, "no gap: readings 0…\(copied - 1)")

        // A backup never overwrites a file.
        let again = try Self.runFloodwatch(["backup", "--database", service.databasePath, backup], in: folder)
        #expect(again.status == 1)
        #expect(again.output.contains("exists already"), "\(again.output)")

        // Restore (docs/operations.md): stop, set the damaged or old file aside with its WAL, copy the backup in, start.
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)
        let database = service.databasePath
        try FileManager.default.moveItem(atPath: database, toPath: database + ".replaced")
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        try FileManager.default.copyItem(atPath: backup, toPath: database)
        process = try await service.start()
        #expect(try service.readingCount() == copied)
        let later = try broker.publisher()
        try later.publish(
            topic: "gauges/hoi-an/level", text: #"{"ts":\#(Int(Date().timeIntervalSince1970)),"value":0.5}"#)
        #expect(later.waitForAcknowledgements(timeoutSeconds: 10))
        #expect(try await eventually { try service.readingCount() == copied + 1 }, "the restored service stores again")
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)
    }

    @Test("a damaged database file stops start-up with status 78, the reason and the recovery commands")
    func damagedDatabaseStopsStartUp() async throws {
        let broker = try TestBroker()
        let service = try ServiceProcess(broker: broker)
        let process = try await service.start()
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)

        // Its first page overwritten, as a failing disk or a careless copy would leave it.
        let handle = try #require(FileHandle(forWritingAtPath: service.databasePath))
        try handle.write(contentsOf: Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) }))
        try handle.close()
        let folder = try TestPaths.temporaryDirectory("damaged")
        let started = try Self.runFloodwatch(
            [
                "serve", "--broker", "127.0.0.1:\(broker.port)", "--database", service.databasePath, "--stations",
                TestPaths.catalogue, "--http", "127.0.0.1:\(try TestPaths.freePort())", "--sender",
                ServiceProcess.testSender,
            ], in: folder)
        #expect(started.status == 78, "\(started.output)")
        #expect(started.output.contains("the database \(service.databasePath) is damaged"), "\(started.output)")
        #expect(started.output.contains("Restoring a backup"))
        #expect(started.output.contains("sqlite3 \(service.databasePath).damaged .recover"))
        #expect(!started.output.contains("Subscribed"), "nothing is taken from the broker into a damaged file")

        // `floodwatch backup` of the damaged file refuses too, and leaves nothing behind.
        let backup = folder + "/copy.sqlite"
        let made = try Self.runFloodwatch(["backup", "--database", service.databasePath, backup], in: folder)
        #expect(made.status == 1, "\(made.output)")
        #expect(!FileManager.default.fileExists(atPath: backup))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.contains("partial") })
    }
}

import Foundation
import GRDB

/// What one backup produced.
public struct BackupReport: Sendable {
    public var destination: String
    public var bytes: Int64
    public var readings: Int
    public var seconds: Double
}

extension FloodDatabase {
    /// Copies the database at `source` to `destination` while the service keeps writing to it: a consistent copy
    /// of one moment, made with SQLite's online backup API in a single step (one read transaction, so the
    /// writer is never blocked in WAL mode, and nothing written meanwhile is half in the copy).
    ///
    /// The copy is written next to `destination` under a temporary name, checked with `PRAGMA integrity_check`,
    /// flushed to disk and only then renamed: `destination` is either a whole, sound backup or not there at all.
    /// Written in the destination's folder because a rename cannot cross file systems.
    public static func backup(from source: String, to destination: String) throws -> BackupReport {
        let started = ContinuousClock.now
        guard FileManager.default.fileExists(atPath: source) else {
            throw BackupError("there is no database at \(source)")
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw BackupError("\(destination) exists already; a backup never overwrites a file")
        }
        let folder = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        let partial = folder + "/.\(URL(fileURLWithPath: destination).lastPathComponent).partial-\(getpid())"
        defer {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                try? FileManager.default.removeItem(atPath: partial + suffix)
            }
        }

        var sourceConfiguration = Configuration()
        sourceConfiguration.readonly = true
        // The service commits every few milliseconds; a moment's wait for its lock is normal.
        sourceConfiguration.busyMode = .timeout(10)
        let from = try DatabaseQueue(path: source, configuration: sourceConfiguration)
        let readings: Int
        do {
            let to = try DatabaseQueue(path: partial)
            try from.backup(to: to)
            readings = try to.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM readings") ?? 0 }
            let integrity = try to.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
            guard integrity == ["ok"] else {
                throw BackupError(
                    "the copy failed its integrity check: \(integrity.prefix(5).joined(separator: "; "))")
            }
            // Fold the copy's WAL into the file, so the backup is one self-contained file.
            try to.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try to.close()
        }
        try from.close()
        try Self.flush(partial)
        guard rename(partial, destination) == 0 else {
            throw BackupError("cannot rename the copy to \(destination): \(String(cString: strerror(errno)))")
        }
        try Self.flush(folder)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int64) ?? 0
        let elapsed = ContinuousClock.now - started
        return BackupReport(
            destination: destination, bytes: bytes, readings: readings,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Whether an error says the file is not a sound SQLite database: damaged, or not a database at all.
    public static func isDamage(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB
    }

    /// fsync of a file or folder: the copy, then its name, are on disk before the backup says it is done.
    private static func flush(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw BackupError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw BackupError("cannot flush \(path) to disk: \(String(cString: strerror(errno)))")
        }
    }
}

/// Why a backup was not made.
public struct BackupError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

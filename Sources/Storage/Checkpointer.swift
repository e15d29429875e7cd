import BlockingWork
import Foundation
import GRDB

/// Copies the write-ahead log into the database file on a thread of its own, so that commits never wait for it.
///
/// SQLite checkpoints, by default, inside the commit that takes the log past 1,000 pages: that commit then copies
/// the pages and syncs the database file before it returns, and the acknowledgements of its readings wait.
/// Measured with `bench ingest` (release, 1,000 readings/s offered): publish → commit p99 19 ms with those
/// checkpoints, 3–11 ms with this thread. So the writer checkpoints by itself only past `writerPages` (a safety
/// net should this thread fall behind), and this thread runs a PASSIVE checkpoint after commits, at most once per
/// `interval`: it neither waits for nor blocks readers and the writer, and the log is reused from its start once
/// a checkpoint has caught up. Commits wake it (`committed()`); with nothing written it sleeps, using no CPU.
final class Checkpointer: Sendable {
    /// The writer's own automatic checkpoint threshold (pages of 4 KiB: 40 MB of log).
    static let writerPages = 10_000
    /// The shortest time between two checkpoints: commits in between are copied together.
    static let interval = 0.25

    private let stopRequest = StopRequest()
    private let commits = Wakeup()
    private let finished = DispatchSemaphore(value: 0)

    init(path: String) {
        // The thread holds this object until `stop()`, which the database calls when it goes away.
        let thread = Thread { [self] in
            var connection: DatabaseQueue?
            while !stopRequest.isRequested {
                commits.wait()
                if stopRequest.isRequested { break }
                do {
                    if connection == nil {
                        var configuration = Configuration()
                        configuration.label = "floodwatch-checkpoint"
                        configuration.busyMode = .timeout(5)
                        connection = try DatabaseQueue(path: path, configuration: configuration)
                    }
                    _ = try connection?.writeWithoutTransaction { try $0.checkpoint(.passive) }
                } catch {
                    // A full disk, a backup holding a lock: the log grows a little meanwhile; the next turn, or the
                    // writer past `writerPages`, catches up.
                }
                stopRequest.sleep(Self.interval)
            }
            // Closed before the database's own connections: the last one to close then checkpoints the whole log
            // and removes it, so a stopped service leaves one self-contained file.
            connection = nil
            finished.signal()
        }
        thread.name = "floodwatch-checkpoint"
        thread.start()
    }

    /// Ends the thread and closes its connection; returns once it has (at most a checkpoint's time).
    ///
    /// Only the first call waits: `FloodDatabase` calls it from `shutDown()` and again from `deinit`, and the
    /// thread signals `finished` once. A second wait on it would last its whole timeout (it made every stop of
    /// `serve` take 10 s).
    func stop() {
        guard stopRequest.request() else { return }
        commits.signal()
        _ = finished.wait(timeout: .now() + 10)
    }

    /// A transaction committed: the log has grown, copy it soon.
    func committed() {
        commits.signal()
    }
}

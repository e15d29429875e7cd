import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `floodwatch-bench fsync`: the disk's own flush latency, without SQLite or FloodWatch. Every committed batch ends
/// in an `fdatasync` of the write-ahead log (`PRAGMA synchronous = FULL`), so this tail is a floor under the commit
/// p99 that `ingest` reports: what the disk sets, and what is left to FloodWatch.
struct FsyncBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsync",
        abstract: "Time append + fdatasync on this disk, as each commit does to the write-ahead log.",
        discussion: """
            Appends `--bytes` to a file in `--folder` (the database's filesystem: run it where the database \
            lives) and flushes it with fdatasync, `--commits` times, `--rate` times a second; prints the \
            median, p99, p99.9 and the longest flush. The file is removed afterwards.
            """
    )

    @Option(help: ArgumentHelp("Where to write: the filesystem of the database.", valueName: "path"))
    var folder = "."

    @Option(help: "Flushes timed.")
    var commits = 2000

    @Option(help: "Flushes a second (a busy ingest commits a few hundred times a second).")
    var rate = 200.0

    @Option(help: "Bytes appended before each flush (a batch's log frames).")
    var bytes = 64 * 1024

    func run() throws {
        let path = folder + "/floodwatch-fsync-\(UUID().uuidString).tmp"
        let descriptor = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        guard descriptor >= 0 else {
            throw ValidationError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer {
            close(descriptor)
            unlink(path)
        }
        let block = [UInt8](repeating: 0x5a, count: bytes)
        var offset: off_t = 0
        var flushes: [Double] = []
        flushes.reserveCapacity(commits)
        let interval = 1 / rate
        var next = Date()
        for _ in 0..<commits {
            let wrote = block.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, bytes, offset) }
            guard wrote == bytes else { throw ValidationError("write failed: \(String(cString: strerror(errno)))") }
            offset += off_t(bytes)
            let started = ContinuousClock.now
            guard fdatasync(descriptor) == 0 else {
                throw ValidationError("fdatasync failed: \(String(cString: strerror(errno)))")
            }
            let elapsed = ContinuousClock.now - started
            flushes.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3)
            next += interval
            let wait = next.timeIntervalSinceNow
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        }
        flushes.sort()
        func percentile(_ p: Double) -> Double { flushes[min(flushes.count - 1, Int(Double(flushes.count) * p))] }
        print(
            String(
                format: "fdatasync after %d-byte appends, %d times at %.0f/s in %@: median %.2f ms, p99 %.2f ms, "
                    + "p99.9 %.2f ms, max %.2f ms",
                bytes, commits, rate, folder, percentile(0.5), percentile(0.99), percentile(0.999),
                flushes.last ?? 0))
    }
}

#if canImport(Glibc)
    import Glibc
#endif

/// Ends an `MQTTConnection.poll` wait from another thread: a descriptor in the poll's set that `interrupt()` makes
/// readable. A stop then takes effect at once, however long the poll was to wait, and an idle connection can wait
/// long between polls instead of waking in short slices to look for a stop.
public final class PollInterrupt: Sendable {
    /// A pipe: `interrupt()` writes a byte to its write end; its read end, in the poll's set, becomes readable.
    let descriptor: Int32
    private let writeEnd: Int32

    public init() {
        var ends: [Int32] = [-1, -1]
        precondition(pipe(&ends) == 0, "pipe failed: errno \(errno)")
        // Neither end may block (a reader draining it, a writer on a full pipe), nor leak into child processes.
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        descriptor = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        close(descriptor)
        close(writeEnd)
    }

    /// Ends the current `poll`'s wait, or the next one's if none is waiting. Safe from any thread; a full pipe
    /// (interruptions nobody took yet) is already an interruption.
    public func interrupt() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Takes every pending interruption, so the next poll waits again.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(descriptor, &buffer, buffer.count) > 0 {}
    }
}

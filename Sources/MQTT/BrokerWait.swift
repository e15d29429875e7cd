#if canImport(Glibc)
    import Glibc
#endif

/// The wait for a broker's socket that both MQTT sessions share: `poll(2)` on the socket, and on a
/// `PollInterrupt` so that a stop ends the wait at once.
enum BrokerWait {
    /// Waits up to `timeoutMilliseconds` (0: only looks) and drains the interrupt if it fired.
    /// - Returns: whether the socket has something to read, or an error or hang-up to report. A socket that is
    ///   only writable returns false: the caller's `writePending` takes care of that.
    static func wait(
        socket: Int32, wantWrite: Bool, interrupt: PollInterrupt? = nil, timeoutMilliseconds: Int32
    ) -> Bool {
        var wanted = Int16(POLLIN)
        if wantWrite { wanted |= Int16(POLLOUT) }
        var descriptors = [pollfd(fd: socket, events: wanted, revents: 0)]
        if let interrupt { descriptors.append(pollfd(fd: interrupt.descriptor, events: Int16(POLLIN), revents: 0)) }
        var ready: Int32
        repeat {
            ready = poll(&descriptors, nfds_t(descriptors.count), timeoutMilliseconds)
        } while ready < 0 && errno == EINTR
        if let interrupt, descriptors[1].revents != 0 { interrupt.drain() }
        return ready > 0 && descriptors[0].revents & ~Int16(POLLOUT) != 0
    }
}

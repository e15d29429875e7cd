import Storage
import Synchronization

/// Limits guessing of tokens: after `limit` failed authentications from one address within `window` seconds,
/// that address gets 429 (with Retry-After) until the window ends, whatever token it sends. Tokens are long
/// random strings, so this is about not letting a script hammer the server, and making the attempt visible.
///
/// Bounded memory: at most `maxAddresses` are tracked; past that, expired windows are dropped, then the oldest.
///
/// With a `shared` store (PostgreSQL, several instances) the failures are counted there, over the last `window`
/// seconds, so that every instance refuses an address that failed on any of them; when that store cannot be
/// reached, this instance's own count decides.
public final class FailedLogins: Sendable {
    struct Window {
        var start: Int64
        var failures: Int
    }

    public let limit: Int
    public let windowMilliseconds: Int64
    let maxAddresses: Int
    private let windows = Mutex<[String: Window]>([:])

    let shared: (any LoginFailureStore)?

    public init(
        limit: Int = 10, windowSeconds: Int = 60, maxAddresses: Int = 10_000, shared: (any LoginFailureStore)? = nil
    ) {
        self.limit = limit
        self.windowMilliseconds = Int64(windowSeconds) * 1000
        self.maxAddresses = maxAddresses
        self.shared = shared
    }

    /// Seconds until `address` may try again, or nil when it may now: from the shared store when there is one.
    public func blockedFor(_ address: String, now: Int64) async -> Int? {
        if let shared, let (count, first) = try? await shared.loginFailures(address, since: now - windowMilliseconds) {
            guard count >= limit, let first else { return nil }
            return Int((first + windowMilliseconds - now + 999) / 1000)
        }
        return blockedHere(address, now: now)
    }

    /// Counts a failed authentication, in the shared store too when there is one; returns the failures of the
    /// address in its window.
    @discardableResult
    public func recordFailure(_ address: String, now: Int64) async -> Int {
        let local = recordHere(address, now: now)
        guard
            let shared,
            let (count, _) = try? await shared.recordLoginFailure(
                address, at: now, since: now - windowMilliseconds)
        else { return local }
        return count
    }

    /// Seconds until `address` may try again, or nil when it may now, by this instance's count.
    func blockedHere(_ address: String, now: Int64) -> Int? {
        windows.withLock { windows in
            guard let window = windows[address], window.failures >= limit else { return nil }
            let end = window.start + windowMilliseconds
            return now < end ? Int((end - now + 999) / 1000) : nil
        }
    }

    /// Counts a failed authentication in this instance; returns the failures of the address in its current window.
    @discardableResult
    func recordHere(_ address: String, now: Int64) -> Int {
        windows.withLock { windows in
            if var window = windows[address], now < window.start + windowMilliseconds {
                window.failures += 1
                windows[address] = window
                return window.failures
            }
            if windows.count >= maxAddresses {
                windows = windows.filter { now < $0.value.start + windowMilliseconds }
                if windows.count >= maxAddresses {
                    let oldest = windows.sorted { $0.value.start < $1.value.start }.prefix(maxAddresses / 2)
                    for (key, _) in oldest { windows[key] = nil }
                }
            }
            windows[address] = Window(start: now, failures: 1)
            return 1
        }
    }
}

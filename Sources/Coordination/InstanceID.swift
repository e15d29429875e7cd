import Foundation

/// How one running FloodWatch instance names itself as the owner of its leases: `host:pid:random`. Readable in
/// `leases.owner` and the logs (which machine, which process), and unique: a process restarted with the same pid on
/// the same host is another owner, so it never inherits the leases of the one before it.
public struct InstanceID: Sendable, Hashable, CustomStringConvertible {
    public let description: String

    public init(host: String = ProcessInfo.processInfo.hostName, pid: Int32 = ProcessInfo.processInfo.processIdentifier)
    {
        let random = UInt32.random(in: 0...UInt32.max)
        description = "\(host):\(pid):\(String(random, radix: 16))"
    }
}

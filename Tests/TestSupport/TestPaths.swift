import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

public enum TestPaths {
    /// The package root, found from this file's location.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static var catalogue: String { root + "/sensors/stations.yaml" }

    /// The folder of the built products (`.build/debug`), where `swift build` left `floodwatch`.
    public static var products: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
    }

    /// A built executable of this package, refused when it is older than what it is linked from.
    ///
    /// `swift test` builds the test bundle and, since the test target depends on the executables' targets, the
    /// objects they are linked from, but it does not link the executables. After an edit it would run the old
    /// `floodwatch` and report on code that is no longer there. So an executable is refused when an object of its
    /// link list (SwiftPM's `<name>.product/Objects.LinkFileList`) is newer than it. `scripts/test` builds
    /// everything first.
    public static func executable(_ name: String) throws -> String {
        let path = products + "/" + name
        guard FileManager.default.isExecutableFile(atPath: path), let built = modified(path) else {
            throw TestFailure("\(name) is not built in \(products); run `swift build --build-tests` first")
        }
        let list = (try? String(contentsOfFile: products + "/\(name).product/Objects.LinkFileList", encoding: .utf8))
        for object in list?.split(separator: "\n") ?? [] {
            let object = String(object).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            if let date = modified(object), date > built {
                throw TestFailure(
                    "\(path) is older than \(object), which it is linked from: build it again with "
                        + "`swift build --build-tests` (scripts/test does) before `swift test --skip-build`")
            }
        }
        return path
    }

    private static func modified(_ path: String) -> Date? {
        try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
    }

    /// A new empty folder under the system's temporary folder, readable by other users (the broker's).
    public static func temporaryDirectory(_ label: String) throws -> String {
        let path = NSTemporaryDirectory() + "floodwatch-test-\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        chmod(path, 0o755)
        return path
    }

    /// Ports handed out in this process, never handed out twice.
    private static let handedOut = Mutex<Set<Int>>([])

    /// A loopback port nobody listens on right now, for a server a test starts.
    ///
    /// Chosen below Linux's ephemeral range (32768–60999), where the kernel picks the local ports of outgoing
    /// connections: a port taken from there could be given to some client connection before our server binds
    /// it, and with dozens of brokers, services and HTTP servers starting in parallel, that happened.
    public static func freePort() throws -> Int {
        for _ in 0..<500 {
            let port = Int.random(in: 20_000...32_000)
            guard handedOut.withLock({ $0.insert(port).inserted }), canBind(port) else { continue }
            return port
        }
        throw TestFailure("no free loopback port between 20000 and 32000")
    }

    private static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Waits until something accepts TCP connections on the loopback port.
    public static func waitForPort(_ port: Int, timeoutSeconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(fd)
            if connected { return true }
            usleep(20_000)
        }
        return false
    }
}

/// Polls `condition` until it holds or the time runs out; returns whether it held.
public func eventually(timeoutSeconds: Double = 20, _ condition: () throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(timeoutSeconds)
    while Date() < deadline {
        if try condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try condition()
}

/// `eventually` for conditions that must await (an HTTP request).
public func eventuallyAsync(timeoutSeconds: Double = 20, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(timeoutSeconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// Runs blocking work (a paced publisher with `usleep`, waits for acknowledgements) on a thread of its own.
///
/// Not `Task.detached`: that runs on Swift's cooperative pool, which has one thread per core (two on CI), so two
/// tests pacing publishers there would stall every other task of the run, their own `Task.sleep` included.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

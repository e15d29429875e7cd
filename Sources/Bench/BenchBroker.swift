import FloodWatchServer
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A mosquitto of the benchmark's own: `deploy/mosquitto.conf` with one loopback listener on a free port, no
/// accounts or TLS, persistence and log in the benchmark's folder.
final class BenchBroker {
    let port: Int
    private let process: Process

    var endpoint: String { "127.0.0.1:\(port)" }

    init(deployConfig: String, folder: String) throws {
        port = try Self.freePort()
        let replaced = [
            "listener", "persistence_location", "log_dest", "user", "allow_anonymous", "password_file", "acl_file",
            "cafile", "certfile", "keyfile", "tls_version",
        ]
        guard let deployed = try? String(contentsOfFile: deployConfig, encoding: .utf8) else {
            throw StartupError(
                "cannot read the broker configuration \(deployConfig)",
                fix: "run from the repository's folder, or give it with --broker-config PATH")
        }
        var lines = deployed.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            !replaced.contains(line.split(separator: " ").first.map(String.init) ?? "")
        }.map(String.init)
        lines += [
            "listener \(port) 127.0.0.1", "allow_anonymous true", "persistence_location \(folder)/",
            "log_dest file \(folder)/mosquitto.log",
        ]
        try lines.joined(separator: "\n").write(toFile: folder + "/mosquitto.conf", atomically: true, encoding: .utf8)
        // Started as root, mosquitto drops to its own user: the folder must be that user's, or persistence is off.
        if getuid() == 0, let user = getpwnam("mosquitto") {
            chown(folder, user.pointee.pw_uid, user.pointee.pw_gid)
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/mosquitto")
        process.arguments = ["-c", folder + "/mosquitto.conf"]
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while !Self.accepts(port) {
            guard Date() < deadline, process.isRunning else {
                throw StartupError("mosquitto did not start on port \(port)", fix: "see \(folder)/mosquitto.log")
            }
            usleep(20_000)
        }
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// A port the kernel just gave out, so free a moment ago.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw StartupError("cannot find a free port", fix: "check the loopback interface") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

import Foundation
import TestSupport
import Testing

/// The systemd units in deploy/: systemd accepts them, and the hardening that matters stays in place.
@Suite("Deployment files", .timeLimit(.minutes(2)), .blockingAllowed, .takingTurns)
struct DeployUnitTests {
    private static let units = ["floodwatch.service", "floodwatch-backup.service", "floodwatch-backup.timer"]
    private static let analyze = "/usr/bin/systemd-analyze"

    private func text(of unit: String) throws -> String {
        try String(contentsOfFile: TestPaths.root + "/deploy/" + unit, encoding: .utf8)
    }

    /// The `Key=value` lines of a unit file, without comments and section headers.
    private func directives(of unit: String) throws -> [String] {
        try text(of: unit).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") && !$0.hasPrefix(";") && !$0.hasPrefix("[") }
    }

    @Test("systemd-analyze verify accepts the service, the backup service and the timer")
    func verify() throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.analyze),
            "systemd-analyze is missing: install the systemd package (scripts/setup does)")
        let folder = try TestPaths.temporaryDirectory("deploy")
        var paths: [String] = []
        for unit in Self.units {
            // verify checks that every ExecStart program exists; the binary is not installed here, /bin/true is.
            let copy = try text(of: unit).replacingOccurrences(
                of: "/opt/floodwatch/bin/floodwatch", with: "/bin/true")
            let path = folder + "/" + unit
            try copy.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let process = try ChildProcess(Self.analyze, ["verify"] + paths, outputPath: folder + "/verify.log")
        let status = process.waitForExit(timeoutSeconds: 60)
        if status == nil { process.killHard() }
        let output = process.output
        #expect(status == 0, "systemd-analyze verify: \(output)")
        // Unknown keys and bad values are printed but leave the exit status at 0: the output must not name our units.
        // (Complaints about the host's own units, if any, are not ours to fix.)
        let complaints = output.split(separator: "\n").filter { $0.contains("floodwatch") }
        #expect(complaints.isEmpty, "systemd-analyze verify: \(output)")
    }

    @Test("the service runs as its own user on a read-only system, restarting on failure but not on bad configuration")
    func serviceHardening() throws {
        let service = try directives(of: "floodwatch.service")
        for directive in [
            "User=floodwatch", "ProtectSystem=strict", "StateDirectory=floodwatch", "NoNewPrivileges=yes",
            "CapabilityBoundingSet=", "ProtectHome=yes", "PrivateTmp=yes", "Restart=on-failure",
            "RestartPreventExitStatus=78",
        ] {
            #expect(service.contains(directive), "floodwatch.service lacks \(directive)")
        }
        #expect(
            !service.contains(where: { $0.hasPrefix("ReadWritePaths=") }),
            "the service writes only its state folder")
    }

    @Test("the backup runs as the same user, writes only its folders, and keeps the shell's % and $")
    func backupHardening() throws {
        let backup = try directives(of: "floodwatch-backup.service")
        for directive in [
            "Type=oneshot", "User=floodwatch", "ProtectSystem=strict", "NoNewPrivileges=yes",
            "ReadWritePaths=/var/backups/floodwatch",
        ] {
            #expect(backup.contains(directive), "floodwatch-backup.service lacks \(directive)")
        }
        // systemd reads % as a specifier and $ as a variable: the shell gets them only as %% and $$.
        let copy = try #require(backup.first(where: { $0.hasPrefix("ExecStart=") && $0.contains(" backup ") }))
        #expect(copy.contains("$$(date -u +%%Y%%m%%dT%%H%%M%%SZ)"), "\(copy)")

        let timer = try directives(of: "floodwatch-backup.timer")
        #expect(timer.contains(where: { $0.hasPrefix("OnCalendar=") }))
        #expect(timer.contains("Persistent=true"))
    }
}

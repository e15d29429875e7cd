import Foundation
import GRDB
import MQTT
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The broker as shipped (`deploy/mosquitto.conf`, `deploy/mosquitto.acl`, certificates from
/// `deploy/issue-certificates`): nobody gets in without an account, a gauge speaks only for its own station, and
/// FloodWatch takes readings over TLS with its own account.
@Suite("Broker security with the shipped configuration", .timeLimit(.minutes(2)), .blockingAllowed, .takingTurns)
struct BrokerSecurityTests {
    static let accounts = [
        "floodwatch": "fw-\(UUID().uuidString)", "cau-lau": "cl-\(UUID().uuidString)",
        "hoi-an": "ha-\(UUID().uuidString)",
    ]

    /// FloodWatch on the broker's TLS listener, logging in as "floodwatch" with a password file.
    static func secureService(_ broker: TestBroker) throws -> ServiceProcess {
        let folder = try TestPaths.temporaryDirectory("secure-service")
        try (accounts["floodwatch"]! + "\n").write(
            toFile: folder + "/broker.password", atomically: true, encoding: .utf8)
        try """
        broker_username: floodwatch
        broker_password_file: broker.password
        broker_ca_file: \(broker.caFile)
        """.write(toFile: folder + "/floodwatch.yaml", atomically: true, encoding: .utf8)
        return try ServiceProcess(
            broker: broker, extraArguments: ["--config", folder + "/floodwatch.yaml"],
            brokerAddress: "localhost:\(broker.tlsPort)")
    }

    @Test("an anonymous client, or one with a wrong password, is refused")
    func anonymousIsRefused() throws {
        let broker = try TestBroker(security: .shipped(accounts: Self.accounts))
        for (user, password) in [(nil, nil), ("cau-lau", "guess"), ("nobody", "guess")] as [(String?, String?)] {
            for tls in [false, true] {
                let attempt = Result { try broker.publisher(user: user, password: password, tls: tls) }
                guard case .failure(let error) = attempt else {
                    Issue.record("\(user ?? "anonymous") got in (tls: \(tls))")
                    continue
                }
                #expect((error as? MQTTError)?.isConnectionRefused == true, "\(error)")
            }
        }
        // The same accounts with their passwords do get in: the refusals above are about the credentials.
        #expect(throws: Never.self) { try broker.publisher(user: "cau-lau", password: Self.accounts["cau-lau"]) }
        #expect(broker.log.contains("not authorised"), "\(broker.log.suffix(2000))")
    }

    @Test("FloodWatch takes readings over TLS with its account; a gauge cannot publish as another station")
    func gaugesKeepToTheirOwnStation() async throws {
        let broker = try TestBroker(security: .shipped(accounts: Self.accounts))
        let service = try Self.secureService(broker)
        let process = try await service.start()
        #expect(process.output.contains("mqtts://localhost:\(broker.tlsPort)"), "\(process.output.suffix(2000))")

        let now = Int(Date().timeIntervalSince1970) / 60 * 60
        let cauLau = try broker.publisher(user: "cau-lau", password: Self.accounts["cau-lau"], tls: true)
        // First the forgery (Câu Lâu's account posing as Hội An), then Câu Lâu's own readings on the same
        // connection: once the last of these is stored, the forgery would have arrived before it.
        try cauLau.publish(topic: "gauges/hoi-an/level", text: #"{"ts":\#(now),"value":9.99}"#)
        try cauLau.publish(
            topic: "gauges/cau-lau", text: #"[{"bn":"cau-lau/","bt":\#(now),"n":"rain","u":"mm","v":2.5}]"#)
        try cauLau.publish(topic: "gauges/cau-lau/level", text: #"{"ts":\#(now),"value":1.25}"#)
        #expect(cauLau.waitForAcknowledgements(timeoutSeconds: 10))
        let hoiAn = try broker.publisher(user: "hoi-an", password: Self.accounts["hoi-an"], tls: true)
        try hoiAn.publish(topic: "gauges/hoi-an/level", text: #"{"ts":\#(now),"value":0.61}"#)
        #expect(hoiAn.waitForAcknowledgements(timeoutSeconds: 10))

        #expect(try await eventually { try service.readingCount() == 3 })
        let stored = try service.query { db in
            try Row.fetchAll(db, sql: "SELECT station, sensor, value FROM readings ORDER BY station, sensor")
                .map { "\($0["station"] as String)/\($0["sensor"] as String)=\($0["value"] as Double)" }
        }
        #expect(stored == ["cau-lau/level=1.25", "cau-lau/rain=2.5", "hoi-an/level=0.61"], "only Hội An's own reading")

        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 20) == 0)
        #expect(!process.output.contains(Self.accounts["floodwatch"]!), "the broker password is never logged")
    }

    @Test("FloodWatch refuses a broker whose certificate its authority did not sign")
    func foreignCertificateIsRefused() async throws {
        let broker = try TestBroker(security: .shipped(accounts: Self.accounts))
        let other = try TestPaths.temporaryDirectory("other-ca")
        let issue = try ChildProcess(
            TestPaths.root + "/deploy/issue-certificates", [other, "localhost"], outputPath: other + "/issue.log")
        #expect(issue.waitForExit(timeoutSeconds: 30) == 0)
        let folder = try TestPaths.temporaryDirectory("foreign")
        try Self.accounts["floodwatch"]!.write(toFile: folder + "/pw", atomically: true, encoding: .utf8)
        let service = try ServiceProcess(
            broker: broker,
            extraArguments: [
                "--broker-username", "floodwatch", "--broker-password-file", folder + "/pw", "--broker-ca-file",
                other + "/floodwatch-ca.crt",
            ],
            brokerAddress: "localhost:\(broker.tlsPort)")
        await #expect(throws: TestFailure.self) { _ = try await service.start(timeoutSeconds: 5) }
    }
}

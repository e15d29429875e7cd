import CMosquitto

/// Process-wide libmosquitto state.
enum Mosquitto {
    /// `mosquitto_lib_init` must run once before any client is created; a global `let` runs it exactly once,
    /// thread-safely, on first use.
    private static let initialised: Bool = {
        mosquitto_lib_init()
        return true
    }()

    static func ensureInitialised() {
        _ = initialised
    }

    /// The libmosquitto version this process runs with, e.g. "2.0.11".
    static var version: String {
        var major: Int32 = 0
        var minor: Int32 = 0
        var revision: Int32 = 0
        mosquitto_lib_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }

    /// Creates a client handle with the options both client kinds share.
    static func makeHandle(_ configuration: MQTTConfiguration) throws(MQTTError) -> OpaquePointer {
        ensureInitialised()
        guard let handle = mosquitto_new(configuration.clientID, configuration.cleanSession, nil) else {
            throw MQTTError(code: MOSQ_ERR_NOMEM.rawValue, operation: "create MQTT client \(configuration.clientID)")
        }
        do throws(MQTTError) {
            try MQTTError.check(
                mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, Int32(MQTT_PROTOCOL_V311)),
                "select MQTT 3.1.1")
            // Small packets leave at once. With Nagle's algorithm an alert and the station summary published after
            // it waited for the broker's delayed TCP acknowledgement: measured 46–96 ms per alert batch on loopback.
            try MQTTError.check(mosquitto_int_option(handle, MOSQ_OPT_TCP_NODELAY, 1), "disable Nagle's algorithm")
            if configuration.username != nil || configuration.password != nil {
                try MQTTError.check(
                    mosquitto_username_pw_set(handle, configuration.username, configuration.password),
                    "set MQTT credentials")
            }
            if let tls = configuration.tls {
                try MQTTError.check(
                    mosquitto_tls_set(handle, tls.caFile, nil, tls.certificateFile, tls.keyFile, nil),
                    "use TLS with CA file \(tls.caFile)")
                // 1 = SSL_VERIFY_PEER: the broker's certificate must chain to the CA and name the host. The TLS versions
                // are libmosquitto's default (1.2 and 1.3).
                try MQTTError.check(mosquitto_tls_opts_set(handle, 1, nil, nil), "set TLS options")
            }
        } catch {
            mosquitto_destroy(handle)
            throw error
        }
        return handle
    }
}

/// The library version, for start-up logs.
public let libmosquittoVersion: String = Mosquitto.version

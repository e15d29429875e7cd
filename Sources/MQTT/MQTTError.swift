import CMosquitto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A libmosquitto result code turned into a Swift error, with the library's own message.
public struct MQTTError: Error, Sendable, CustomStringConvertible {
    /// The `mosq_err_t` value, or a CONNACK return code when `isConnectionRefused` is true.
    public let code: Int32
    /// What FloodWatch was doing, e.g. "connect to 127.0.0.1:1883".
    public let operation: String
    public let isConnectionRefused: Bool
    /// For `MOSQ_ERR_ERRNO`: the system error, captured when the error was made.
    private let systemError: Int32

    init(code: Int32, operation: String, isConnectionRefused: Bool = false) {
        self.code = code
        self.operation = operation
        self.isConnectionRefused = isConnectionRefused
        self.systemError = errno
    }

    /// Throws unless `code` is `MOSQ_ERR_SUCCESS`.
    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(MQTTError) {
        if code != MOSQ_ERR_SUCCESS.rawValue {
            throw MQTTError(code: code, operation: operation())
        }
    }

    public var description: String {
        let message =
            isConnectionRefused
            ? String(cString: mosquitto_connack_string(code))
            : code == MOSQ_ERR_ERRNO.rawValue
                ? String(cString: strerror(systemError))
                : String(cString: mosquitto_strerror(code))
        return "\(operation): \(message)"
    }
}

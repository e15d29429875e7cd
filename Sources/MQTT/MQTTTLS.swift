/// TLS settings of a broker connection. The broker's certificate is always verified, its name included (the host
/// FloodWatch connects to must be in the certificate): a flood warning service must not take readings from, or send
/// alerts to, whoever answers on the port.
public struct MQTTTLS: Sendable, Hashable {
    /// PEM file of the certificate authority that signed the broker's certificate.
    public var caFile: String
    /// Client certificate and its key (PEM), for brokers that require one (`require_certificate true`).
    public var certificateFile: String?
    public var keyFile: String?

    public init(caFile: String, certificateFile: String? = nil, keyFile: String? = nil) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }
}

import Crypto

/// The signature a webhook receiver checks to know a body came from FloodWatch and was not changed:
/// `X-FloodWatch-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the webhook's secret>`
/// (the scheme GitHub uses, so existing receivers' code fits).
public enum WebhookSignature {
    public static let header = "X-FloodWatch-Signature"

    public static func sign(body: [UInt8], secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256="
            + code.map { byte in
                let hex = String(byte, radix: 16)
                return byte < 16 ? "0" + hex : hex
            }.joined()
    }
}

import Catalogue
import Foundation
import HTTPAPI

/// The `access:` section of the configuration file: whether reading the API needs a token, and the tokens with
/// their roles. Secrets come from the file (or files it names), never from the code.
///
/// ```yaml
/// access:
///   read: open            # or token
///   tokens:
///     - {name: wall-screen, role: reader, token_file: wall.token}
///     - {name: duty-officer, role: officer, token_file: officer.token}
/// ```
public struct AccessFileSection {
    public var policy = AccessPolicy()

    mutating func read(_ mapping: YAMLMapping, folder: URL) {
        mapping.checkKeys(["read", "tokens"])
        if let value = mapping.optional("read"), let text = value.text(example: "open") {
            switch text {
            case "open": policy.openReading = true
            case "token": policy.openReading = false
            default: value.report("read must be open or token, found '\(text)'", fix: "write read: open or read: token")
            }
        }
        for item in mapping.optional("tokens")?.sequence() ?? [] {
            guard let token = item.mapping() else { continue }
            token.checkKeys(["name", "role", "token", "token_file"])
            let name = token.required("name", fix: "add 'name: duty-officer' (shown in logs, never the secret)")?.text()
            var role: AccessPolicy.Role?
            if let value = token.required("role", fix: "add 'role: reader' or 'role: officer'"),
                let text = value.text(example: "officer")
            {
                role = AccessPolicy.Role(rawValue: text)
                if role == nil {
                    value.report("role must be reader or officer, found '\(text)'", fix: "write reader or officer")
                }
            }
            var secret: String?
            if let value = token.optional("token") {
                secret = value.text()
            } else if let value = token.optional("token_file"), let path = value.text() {
                let file = path.hasPrefix("/") ? path : folder.appendingPathComponent(path).standardizedFileURL.path
                secret = (try? String(contentsOfFile: file, encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                if secret?.isEmpty != false {
                    value.report("cannot read a token from \(file)", fix: "put the token on one line in that file")
                    secret = nil
                }
            } else {
                token.report(
                    "token '\(name ?? "?")' has no secret", fix: "add 'token_file: officer.token' (or 'token: …')")
            }
            if let secret, secret.count < 16 {
                token.report(
                    "token '\(name ?? "?")' is shorter than 16 characters",
                    fix: "use a long random token, e.g. from: openssl rand -hex 24")
                continue
            }
            if let name, let role, let secret {
                policy.tokens.append(AccessPolicy.Token(name: name, secret: secret, role: role))
            }
        }
        if !policy.openReading, policy.tokens.isEmpty {
            mapping.report("read: token needs at least one token", fix: "add a token under 'tokens:'")
        }
    }
}

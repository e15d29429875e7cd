import Foundation
import TestSupport
import Testing

/// What a CAP consumer relies on that the schema cannot say, checked on documents FloodWatch served: `expires`
/// after `sent`, an `instruction` in every public alert's `info`, no Restricted alert in the public feed, and every
/// Update and Cancel referring to a document that exists. Each document is also validated with xmllint against
/// the official CAP 1.2 schema.
enum CAPChecker {
    struct Document {
        var identifier: String
        var text: String
    }

    /// Validates `documents` (the feed's entries are `publicFeed`), recording an issue for each fault.
    static func check(_ documents: [Document], publicFeed: String, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let identifiers = Set(documents.map(\.identifier))
        for document in documents {
            try schemaCheck(document)
            let text = document.text
            let sent = try #require(value("sent", in: text), sourceLocation: sourceLocation)
            let scope = value("scope", in: text)
            let messageType = value("msgType", in: text)
            for expires in values("expires", in: text) {
                #expect(
                    try date(expires) > date(sent), "\(document.identifier): expires \(expires) after sent \(sent)",
                    sourceLocation: sourceLocation)
            }
            #expect(!values("expires", in: text).isEmpty, "\(document.identifier) has expires")
            if scope == "Public" {
                let infos = text.components(separatedBy: "<info>").count - 1
                #expect(
                    values("instruction", in: text).count == infos, "\(document.identifier): an instruction per info",
                    sourceLocation: sourceLocation)
            }
            if messageType == "Update" || messageType == "Cancel" {
                let references = value("references", in: text) ?? ""
                #expect(!references.isEmpty, "\(document.identifier) (\(messageType ?? "")) has references")
                for reference in references.split(separator: " ") {
                    let parts = reference.split(separator: ",")
                    #expect(
                        parts.count == 3 && identifiers.contains(String(parts[1])),
                        "\(document.identifier) refers to \(reference), which was sent",
                        sourceLocation: sourceLocation)
                }
            }
            if scope == "Restricted" {
                #expect(
                    !publicFeed.contains(document.identifier + ".xml"),
                    "Restricted \(document.identifier) is not on the public feed", sourceLocation: sourceLocation)
            }
        }
    }

    static func value(_ element: String, in text: String) -> String? {
        values(element, in: text).first
    }

    static func values(_ element: String, in text: String) -> [String] {
        text.components(separatedBy: "<\(element)>").dropFirst().compactMap {
            $0.components(separatedBy: "</\(element)>").first
        }
    }

    private static func date(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text), "a CAP time: \(text)")
    }

    private static func schemaCheck(_ document: Document) throws {
        let folder = try TestPaths.temporaryDirectory("cap-check")
        let path = folder + "/" + document.identifier + ".xml"
        try document.text.write(toFile: path, atomically: true, encoding: .utf8)
        let lint = try ChildProcess(
            "/usr/bin/xmllint", ["--noout", "--schema", TestPaths.root + "/Tests/Fixtures/CAP-v1.2.xsd", path],
            outputPath: folder + "/xmllint.log")
        #expect(lint.waitForExit(timeoutSeconds: 30) == 0, "\(document.identifier): \(lint.output)")
    }
}

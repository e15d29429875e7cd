import Foundation

/// E-mail header fields as RFC 5322 and RFC 2047 want them: folded into lines that every mail system carries, and
/// non-ASCII text (Vietnamese subjects, station and sender names) as encoded words that a reader decodes whole.
///
/// - RFC 5322 §2.1.1: a line should be at most 78 characters; longer fields are folded by a line break before
///   white space, which a reader removes again ("unfolding").
/// - RFC 2047 §2: an encoded word (`=?UTF-8?B?…?=`) is at most 75 characters, and a line holding one at most 76;
///   each word holds whole characters (§5), and white space between two encoded words is not part of the text (§6.2),
///   so a long text becomes several words, one or more per folded line. A word is cut after a space where it can
///   be, so that the space stays inside the earlier word's text.
/// - In a display name (a "phrase", RFC 5322 §3.2.5) only the words that need it are encoded, runs of them
///   together, and plain words stay as they are: readers keep the space between a plain and an encoded word. (Some
///   readers, Python's e-mail package among them, also keep the space between two encoded words of a phrase; a run
///   is therefore split only when it is longer than one encoded word.)
enum MailHeader {
    /// The longest line of a field without encoded words (RFC 5322's recommendation).
    static let lineLimit = 78
    /// The longest line of a field with encoded words (RFC 2047).
    static let encodedLineLimit = 76
    /// The longest encoded word (RFC 2047).
    static let encodedWordLimit = 75

    /// An unstructured field (`Subject`): plain text folded at spaces, or encoded words when the text is not ASCII.
    static func text(_ name: String, _ value: String) -> String {
        let prefix = name + ": "
        guard isPlain(value) else {
            return fold(
                prefix, encodedWords(value, firstWidth: encodedLineLimit - prefix.count), limit: encodedLineLimit)
        }
        return fold(
            prefix, value.split(separator: " ", omittingEmptySubsequences: false).map(String.init), limit: lineLimit)
    }

    /// An address field (`From`): a display name, its words encoded where they are not plain atoms, then
    /// `<address>`.
    static func mailbox(_ name: String, displayName: String, address: String) -> String {
        let prefix = name + ": "
        let angle = "<" + address + ">"
        guard isPlain(displayName) else {
            return fold(
                prefix, phrase(displayName, firstWidth: encodedLineLimit - prefix.count) + [angle],
                limit: encodedLineLimit)
        }
        // A plain display name with specials must be quoted (RFC 5322 §3.4); it is sent as one quoted word.
        let quoted =
            displayName.split(separator: " ").allSatisfy(isAtom)
            ? displayName
            : "\""
                + displayName.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                + "\""
        return fold(prefix, quoted.split(separator: " ").map(String.init) + [angle], limit: lineLimit)
    }

    /// The words of a display name: plain atoms as they are, each run of other words as encoded words.
    private static func phrase(_ name: String, firstWidth: Int) -> [String] {
        var words: [String] = []
        var run: [Substring] = []
        func endRun() {
            guard !run.isEmpty else { return }
            words += encodedWords(run.joined(separator: " "), firstWidth: words.isEmpty ? firstWidth : encodedWordLimit)
            run = []
        }
        for word in name.split(separator: " ") {
            if isAtom(word) {
                endRun()
                words.append(String(word))
            } else {
                run.append(word)
            }
        }
        endRun()
        return words
    }

    /// A word that may stand in a display name as it is: ASCII letters, digits and RFC 5322's atext symbols.
    private static func isAtom(_ word: Substring) -> Bool {
        !word.isEmpty
            && word.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
            }
    }

    /// Encoded words of `text`, each of whole characters and at most `encodedWordLimit` long (the first at most
    /// `firstWidth`, so that it fits on the line after the field's name), cut after a space where one is near.
    static func encodedWords(_ text: String, firstWidth: Int) -> [String] {
        // "=?UTF-8?B?" and "?=" take 12 characters; base64 writes 4 characters for every 3 bytes.
        func budget(_ width: Int) -> Int { max(4, (width - 12) / 4 * 3) }
        var words: [String] = []
        var chunk: [UInt8] = []
        /// Where in `chunk` the text after its last space starts.
        var afterSpace: Int?
        var limit = budget(min(firstWidth, encodedWordLimit))
        for character in text {
            let bytes = Array(character.utf8)
            if !chunk.isEmpty, chunk.count + bytes.count > limit {
                // Cut after the chunk's last space, unless that leaves less than half the word: then between
                // characters.
                let cut = afterSpace.flatMap { $0 * 2 >= limit ? $0 : nil } ?? chunk.count
                words.append(encode(Array(chunk[..<cut])))
                chunk = Array(chunk[cut...])
                afterSpace = nil
                limit = budget(encodedWordLimit)
            }
            chunk += bytes
            if character == " " { afterSpace = chunk.count }
        }
        if !chunk.isEmpty || words.isEmpty { words.append(encode(chunk)) }
        return words
    }

    private static func encode(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }

    /// Printable ASCII only: sent as it is.
    private static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// `prefix` and the words, separated by single spaces, with a line break before a space wherever the next word
    /// would take the line past `limit`. A word longer than a line stays whole on its own line.
    private static func fold(_ prefix: String, _ words: [String], limit: Int) -> String {
        var lines: [String] = []
        var line = prefix
        var lineHasWord = false
        for word in words {
            if lineHasWord, line.count + 1 + word.count > limit {
                lines.append(line)
                line = " " + word
            } else {
                line += (lineHasWord ? " " : "") + word
            }
            lineHasWord = true
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }
}

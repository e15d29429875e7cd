import Foundation
import Yams

/// Reading a YAML file into a tree of located values, with every problem reported to a `YAMLDiagnostics`.
///
/// ```swift
/// let diagnostics = YAMLDiagnostics(file: path)
/// if let text = YAMLDocument.readText(atPath: path, diagnostics: diagnostics, what: "configuration",
///                                     fix: "give the configuration file with --config PATH"),
///    let root = YAMLDocument.parse(text, diagnostics: diagnostics),
///    let top = root.mapping() {
///     top.checkKeys(["broker", "database", "stations"])
///     let broker = top.optional("broker")?.text()
///     …
/// }
/// if !diagnostics.isEmpty { throw MyConfigError(problems: diagnostics.problemsInFileOrder) }
/// ```
public enum YAMLDocument {
    /// Reads a UTF-8 text file. A missing, unreadable or non-UTF-8 file is reported as one problem naming the path
    /// (and, for a relative path, the working directory it was looked up from), with `fix`.
    ///
    /// - Parameter what: how messages name the file, e.g. "the station catalogue".
    public static func readText(atPath path: String, diagnostics: YAMLDiagnostics, what: String, fix: String) -> String?
    {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            var message = "\(what) is not there: no file '\(path)'"
            if !path.hasPrefix("/") {
                message += " (relative to the working directory \(manager.currentDirectoryPath))"
            }
            diagnostics.report(message, fix: fix)
            return nil
        }
        if isDirectory.boolValue {
            diagnostics.report("\(what) '\(path)' is a directory, not a file", fix: fix)
            return nil
        }
        guard let data = manager.contents(atPath: path) else {
            diagnostics.report("cannot read \(what) '\(path)' (check its permissions)", fix: fix)
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.report(
                "\(what) '\(path)' is not UTF-8 text",
                fix: "save the file as UTF-8 (the Vietnamese names need it)"
            )
            return nil
        }
        return text
    }

    /// Parses one YAML document. Syntax errors and duplicate keys become problems with their line.
    ///
    /// A duplicate key does not stop the reading: it is reported, left out, and the rest of the file is read, so
    /// its other problems are reported too. A syntax error does stop it (the rest of the file has no reliable
    /// structure); the result is then nil.
    ///
    /// - Returns: the root value, or nil for a file that is empty, holds only comments, or cannot be parsed.
    public static func parse(_ text: String, diagnostics: YAMLDiagnostics) -> YAMLValue? {
        var text = text
        var replaced = 0
        while true {
            do {
                guard let node = try Yams.compose(yaml: text) else { return nil }
                return YAMLValue(node: node, name: "the file", diagnostics: diagnostics)
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                let key = duplicates.first ?? "?"
                let first = context.mark
                let fix = "keep one '\(key)' in this mapping and delete the other"
                guard replaced < 1000, let found = DuplicateKey.find(key: key, firstAt: first, in: text) else {
                    diagnostics.report(
                        "duplicate key '\(key)': a mapping may hold each key once", fix: fix,
                        line: first.line, column: first.column
                    )
                    return nil
                }
                replaced += 1
                let placeholder = "__duplicate_key_\(replaced)__"
                diagnostics.duplicateKeyPlaceholders.insert(placeholder)
                diagnostics.report(
                    "duplicate key '\(key)': it is already at line \(first.line)", fix: fix,
                    line: found.line, column: found.column
                )
                text = found.replacing(in: text, with: placeholder)
            } catch let error as YamlError {
                report(error, text: text, diagnostics: diagnostics)
                return nil
            } catch {
                diagnostics.report("cannot parse the YAML: \(error)", fix: "check the file's syntax")
                return nil
            }
        }
    }

    private static func report(_ error: YamlError, text: String, diagnostics: YAMLDiagnostics) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            if problem == "but found another document" {
                diagnostics.report(
                    "the file holds more than one YAML document; a second one starts here",
                    fix: "remove the '---' line so that the file is one document",
                    line: mark.line, column: mark.column
                )
                return
            }
            var message = "YAML syntax error: \(problem)"
            if let context {
                message += ", \(context.text) at line \(context.mark.line)"
            }
            let lineText =
                DuplicateKey.lines(of: text).dropFirst(mark.line - 1).first.map { String(String.UnicodeScalarView($0)) }
                ?? ""
            diagnostics.report(
                message, fix: syntaxFix(problem: problem, lineText: lineText), line: mark.line, column: mark.column)
        case .reader(let problem, let offset, _, let yaml):
            var line: Int?
            var column: Int?
            if let offset {
                let before = yaml.prefix(offset)
                line = before.reduce(1) { $1 == "\n" || $1 == "\r\n" ? $0 + 1 : $0 }
                column = before.split(separator: "\n", omittingEmptySubsequences: false).last.map {
                    $0.unicodeScalars.count + 1
                }
            }
            diagnostics.report(
                "the file is not readable as YAML text: \(problem)",
                fix: "save the file as UTF-8 text and remove control characters", line: line, column: column
            )
        default:
            diagnostics.report("cannot parse the YAML: \(error)", fix: "check the file's syntax")
        }
    }

    private static func syntaxFix(problem: String, lineText: String) -> String {
        if lineText.contains("\t") || problem.contains("tab") {
            return "indent with spaces: YAML does not allow tabs for indentation"
        }
        if problem.contains("mapping values are not allowed") {
            return "quote a value that contains ': ', or check this line's indentation"
        }
        if problem.contains("did not find expected key") {
            return "check this line's indentation: the keys of one mapping start in the same column"
        }
        if problem.contains("did not find expected ',' or ']'") || problem.contains("did not find expected ',' or '}'")
        {
            return "close the bracket that was opened, and separate the items with ', '"
        }
        return "check the indentation, quotes and brackets on this line and the line before"
    }
}

/// Finds the second occurrence of a key that Yams reported as duplicated (Yams names only the first), so it can be
/// reported with its own line and taken out of the way.
///
/// Handles block mappings (a sibling key in the same column further down) and flow mappings (`{a: 1, a: 2}`);
/// returns nil for anything else, and the caller then reports the first occurrence and stops.
struct DuplicateKey {
    /// 1-based.
    var line: Int
    /// 1-based, in Unicode scalars.
    var column: Int
    /// Length of the key's text, quotes included, in Unicode scalars.
    var length: Int

    static func lines(of text: String) -> [Substring.UnicodeScalarView] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
    }

    func replacing(in text: String, with replacement: String) -> String {
        var lines = Self.lines(of: text).map { Array($0) }
        var scalars = lines[line - 1]
        scalars.replaceSubrange((column - 1)..<(column - 1 + length), with: Array(replacement.unicodeScalars))
        lines[line - 1] = scalars
        var result = String.UnicodeScalarView()
        for (index, line) in lines.enumerated() {
            if index > 0 { result.append("\n") }
            result.append(contentsOf: line)
        }
        return String(result)
    }

    static func find(key: String, firstAt first: Mark, in text: String) -> DuplicateKey? {
        let lines = lines(of: text).map { Array($0) }
        let key = Array(key.unicodeScalars)
        let row = first.line - 1
        let column = first.column - 1
        guard !key.isEmpty, lines.indices.contains(row), column <= lines[row].count else { return nil }
        let before = lines[row][..<column].filter { $0 != " " && $0 != "\t" }
        if let last = before.last, last == "{" || last == "," {
            return findInFlow(key: key, lines: lines, row: row, column: column)
        }
        return findInBlock(key: key, lines: lines, row: row, column: column)
    }

    private static func findInBlock(key: [Unicode.Scalar], lines: [[Unicode.Scalar]], row: Int, column: Int)
        -> DuplicateKey?
    {
        for index in (row + 1)..<lines.count {
            let line = lines[index]
            let indent = line.prefix { $0 == " " }.count
            if indent == line.count || line[indent] == "#" || line[indent] == "\r" { continue }
            if indent < column { return nil }
            if indent == 0,
                line.starts(with: Array("---".unicodeScalars)) || line.starts(with: Array("...".unicodeScalars))
            {
                return nil
            }
            if indent == column, let length = keyLength(key, in: line, at: column, flow: false) {
                return DuplicateKey(line: index + 1, column: column + 1, length: length)
            }
        }
        return nil
    }

    private static func findInFlow(key: [Unicode.Scalar], lines: [[Unicode.Scalar]], row: Int, column: Int)
        -> DuplicateKey?
    {
        var depth = 0
        var quote: Unicode.Scalar?
        var expectKey = false
        var index = row
        var position = column + 1
        while index < lines.count {
            let line = lines[index]
            while position < line.count {
                let scalar = line[position]
                if let open = quote {
                    if scalar == open { quote = nil }
                    position += 1
                    continue
                }
                if expectKey, depth == 0, scalar != " ", scalar != "\t", scalar != "\r" {
                    expectKey = false
                    if let length = keyLength(key, in: line, at: position, flow: true) {
                        return DuplicateKey(line: index + 1, column: position + 1, length: length)
                    }
                }
                switch scalar {
                case "\"", "'":
                    quote = scalar
                case "{", "[":
                    depth += 1
                case "}", "]":
                    depth -= 1
                    if depth < 0 { return nil }
                case ",":
                    if depth == 0 { expectKey = true }
                case "#" where position == 0 || line[position - 1] == " ":
                    position = line.count
                    continue
                default:
                    break
                }
                position += 1
            }
            index += 1
            position = 0
        }
        return nil
    }

    /// The length of `key` written at `position` (plain or quoted) when it is followed by `:`, else nil.
    private static func keyLength(_ key: [Unicode.Scalar], in line: [Unicode.Scalar], at position: Int, flow: Bool)
        -> Int?
    {
        var end: Int
        if line[position...].starts(with: key) {
            end = position + key.count
        } else if line[position] == "\"" || line[position] == "'",
            line[(position + 1)...].starts(with: key),
            position + 1 + key.count < line.count,
            line[position + 1 + key.count] == line[position]
        {
            end = position + key.count + 2
        } else {
            return nil
        }
        let length = end - position
        while end < line.count, line[end] == " " || line[end] == "\t" { end += 1 }
        guard end < line.count, line[end] == ":" else { return nil }
        let next = end + 1
        if next == line.count { return length }
        let separators: [Unicode.Scalar] = flow ? [" ", "\t", "\r", ",", "}", "]"] : [" ", "\t", "\r"]
        return separators.contains(line[next]) ? length : nil
    }
}

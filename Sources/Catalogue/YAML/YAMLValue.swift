import Gauges
import Yams

/// A node of a YAML document together with what it needs to report a problem about itself: the file's diagnostics,
/// how messages name it (`'lat'`, `alarm level II`) and where in the file it sits (`station 'cau-lau'`).
///
/// The typed accessors (`text()`, `number()`, `integer()`, `duration()`, `sequence()`, `mapping()`) return the value
/// or report a problem at the node's line and return nil, so a reader can carry on and find every problem of a file.
public struct YAMLValue {
    public let node: Node
    /// How messages name the value, e.g. `'lat'` or `alarm level II`.
    public var name: String
    /// Where the value is, put before every message, e.g. `station 'cau-lau'`; nil at the top of the file.
    public var context: String?
    /// The position of the key this value belongs to, if it is the value of a mapping entry.
    public var keyMark: Mark?
    public let diagnostics: YAMLDiagnostics

    public init(node: Node, name: String, context: String? = nil, keyMark: Mark? = nil, diagnostics: YAMLDiagnostics) {
        self.node = node
        self.name = name
        self.context = context
        self.keyMark = keyMark
        self.diagnostics = diagnostics
    }

    /// Where problems about this value point: the value, or its key when the value is empty (`lat:` with nothing
    /// after it has no position of its own worth showing).
    public var mark: Mark? {
        if isEmptyPlain, let keyMark { return keyMark }
        return node.mark ?? keyMark
    }

    /// 1-based line of `mark`.
    public var line: Int? { mark?.line }
    /// 1-based column of `mark`.
    public var column: Int? { mark?.column }

    /// The same value under another name in messages.
    public func named(_ name: String) -> YAMLValue {
        var copy = self
        copy.name = name
        return copy
    }

    /// The same value with another context in messages.
    public func within(_ context: String?) -> YAMLValue {
        var copy = self
        copy.context = context
        return copy
    }

    /// Reports a problem at this value, prefixed with the context.
    public func report(_ message: String, fix: String) {
        diagnostics.report(contextual(message), fix: fix, line: mark?.line, column: mark?.column)
    }

    /// `message` prefixed with the context, as `report` would write it.
    public func contextual(_ message: String) -> String {
        guard let context, !context.isEmpty else { return message }
        return "\(context): \(message)"
    }

    // MARK: Inspecting

    /// A null: `~`, `null` or nothing at all.
    public var isNull: Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return node.tag.rawValue == Tag.Name.null.rawValue
    }

    private var isEmptyPlain: Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return scalar.string.isEmpty
    }

    /// A scalar written in quotes.
    public var isQuoted: Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .singleQuoted || scalar.style == .doubleQuoted
    }

    /// What the value is, for messages: `a mapping`, `a list`, `nothing`, `'15,85'`, `the quoted text '3.5'`.
    public var found: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if isNull { return "nothing" }
            let text = Self.shortened(scalar.string)
            return isQuoted ? "the quoted text '\(text)'" : "'\(text)'"
        }
    }

    static func shortened(_ text: String) -> String {
        text.count > 64 ? String(text.prefix(64)) + "…" : text
    }

    // MARK: Typed accessors

    /// The text of a scalar; an empty text, a null, a list or a mapping is reported.
    /// Numbers and booleans are accepted as their text (`name: 123` is the text "123").
    public func text(example: String? = nil) -> String? {
        let fix = example.map { "write it as text, e.g. \($0)" } ?? "write it as text"
        guard case .scalar(let scalar) = node else {
            report("\(name) must be text, found \(found)", fix: fix)
            return nil
        }
        if isNull {
            report("\(name) has no value", fix: fix)
            return nil
        }
        if scalar.string.allSatisfy(\.isWhitespace) {
            report("\(name) must not be empty", fix: fix)
            return nil
        }
        return scalar.string
    }

    /// A finite number: a YAML int or float (`5`, `-1.0`, `2.5e1`). A quoted number, a decimal comma (`3,5`),
    /// `.nan`, `.inf` and anything else are reported with how to write it.
    public func number(example: String = "2.5") -> Double? {
        switch parseNumber(expected: "a number") {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        case .failed(let message, let fix):
            report(message, fix: fix ?? "write a number with a decimal point, e.g. \(example), without units or quotes")
            return nil
        }
    }

    /// A whole number; `2025.0` is reported as not whole.
    public func integer(example: String = "5") -> Int? {
        switch parseNumber(expected: "a whole number") {
        case .integer(let value): return value
        case .real:
            report("\(name) must be a whole number, found \(found)", fix: "write a whole number, e.g. \(example)")
            return nil
        case .failed(let message, let fix):
            report(message, fix: fix ?? "write a whole number, e.g. \(example), without units or quotes")
            return nil
        }
    }

    /// A duration in seconds, written as whole seconds (`300`) or a whole number with a unit: `30s`, `5m`, `1h`, `1d`.
    /// Zero and negative durations are returned as they are; the caller decides what is allowed.
    public func duration() -> Int? {
        let fix = "write whole seconds (300) or a whole number with s, m, h or d (30s, 5m, 1h)"
        guard case .scalar(let scalar) = node, !isNull else {
            report(isNull ? "\(name) has no value" : "\(name) must be a duration, found \(found)", fix: fix)
            return nil
        }
        if !isQuoted, node.tag.rawValue == Tag.Name.int.rawValue {
            guard let seconds = Int.construct(from: scalar) else {
                report("\(name) is too large: \(found)", fix: fix)
                return nil
            }
            return seconds
        }
        if let seconds = DurationText.seconds(scalar.string) { return seconds }
        report("\(name) must be a duration such as 30s, 5m or 1h, found \(found)", fix: fix)
        return nil
    }

    /// A duration of more than 0 seconds and, when `maximum` is given, at most that; anything else is reported
    /// with `fix` (what the value means, with an example) or `tooLongFix`.
    public func positiveDuration(fix: String, maximum: Int? = nil, tooLongFix: String = "") -> Int? {
        guard let seconds = duration() else { return nil }
        if seconds <= 0 {
            report("\(name) must be more than 0 seconds, found \(found)", fix: fix)
            return nil
        }
        if let maximum, seconds > maximum {
            report("\(name) \(found) is longer than a day (\(seconds) s)", fix: tooLongFix)
            return nil
        }
        return seconds
    }

    /// The items of a list, each named `<name> item <n>`.
    public func sequence() -> [YAMLValue]? {
        guard case .sequence(let sequence) = node else {
            report(
                isNull ? "\(name) has no value" : "\(name) must be a list, found \(found)",
                fix: "write a list: [a, b] on one line, or one '- item' per line"
            )
            return nil
        }
        return sequence.enumerated().map { index, item in
            YAMLValue(node: item, name: "\(name) item \(index + 1)", context: context, diagnostics: diagnostics)
        }
    }

    /// The value as a mapping of keys to values. Check its keys with `YAMLMapping.checkKeys(_:)`.
    public func mapping() -> YAMLMapping? {
        guard case .mapping = node else {
            report(
                isNull ? "\(name) has no value" : "\(name) must be a mapping of keys to values, found \(found)",
                fix: "write 'key: value' pairs, one per line (indented), or {key: value, …} on one line"
            )
            return nil
        }
        return YAMLMapping(self)
    }

    // MARK: Numbers

    private enum ParsedNumber {
        case integer(Int)
        case real(Double)
        /// A message, and a fix when there is a better one than the caller's default.
        case failed(String, String?)
    }

    private func parseNumber(expected: String) -> ParsedNumber {
        guard case .scalar(let scalar) = node else {
            return .failed("\(name) must be \(expected), found \(found)", nil)
        }
        if isNull {
            return .failed("\(name) has no value", nil)
        }
        let tag = node.tag.rawValue
        if !isQuoted, tag == Tag.Name.int.rawValue {
            guard let value = Int.construct(from: scalar) else {
                return .failed("\(name) is too large: \(found)", nil)
            }
            return .integer(value)
        }
        if !isQuoted, tag == Tag.Name.float.rawValue {
            guard let value = Double.construct(from: scalar) else {
                return .failed("\(name) must be \(expected), found \(found)", nil)
            }
            guard value.isFinite else {
                return .failed("\(name) must be a finite number, found \(found)", nil)
            }
            return .real(value)
        }
        let text = scalar.string.trimmingWhitespace
        if expected == "a number", Self.hasDecimalComma(text) {
            let corrected = text.replacingCommaWithPoint
            return .failed("\(name) must be \(expected), found \(found): use a decimal point", "write \(corrected)")
        }
        if isQuoted, let value = Double(text), value.isFinite {
            return .failed("\(name) must be \(expected), found \(found)", "remove the quotes: \(text)")
        }
        return .failed("\(name) must be \(expected), found \(found)", nil)
    }

    /// `3,5`, `-0,25`: digits, one comma, digits, as written in Vietnamese (and much of Europe).
    static func hasDecimalComma(_ text: String) -> Bool {
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        let parts = body.split(separator: ",", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
    }
}

extension StringProtocol {
    var trimmingWhitespace: String {
        var view = Substring(self)
        while view.first?.isWhitespace == true { view = view.dropFirst() }
        while view.last?.isWhitespace == true { view = view.dropLast() }
        return String(view)
    }

    var replacingCommaWithPoint: String {
        String(map { $0 == "," ? "." : $0 })
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

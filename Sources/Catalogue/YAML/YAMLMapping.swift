import Yams

/// A YAML mapping read key by key. Each value it hands out is a `YAMLValue` named after its key and carrying its
/// line, so a reader reports problems where they are; unknown and missing keys are reported here.
public struct YAMLMapping {
    /// One `key: value` entry.
    public struct Entry {
        public let key: String
        /// The key itself, to report a problem about the key (an unknown one, say) at its position.
        public let keyValue: YAMLValue
        public let value: YAMLValue
    }

    /// The mapping as a value: its name, context and position.
    public private(set) var value: YAMLValue
    private let pairs: [(key: String, keyNode: Node, valueNode: Node)]

    /// Reports keys that are not plain scalars (`[a, b]: 1`) and leaves them out.
    ///
    /// Also undoes the decimal-comma trap of flow mappings: in `{II: 3,5}` the comma separates entries, so YAML reads
    /// `II: 3` and a key `5` without a value. Such a pair (a whole number, then on the same line a key of digits
    /// with no value) is put back together as the text `3,5`, which the number accessors then report with
    /// "use a decimal point" instead of a wrong level and an unknown key.
    init(_ value: YAMLValue) {
        self.value = value
        var pairs: [(key: String, keyNode: Node, valueNode: Node)] = []
        if case .mapping(let mapping) = value.node {
            for (key, node) in mapping {
                guard case .scalar(let scalar) = key else {
                    let keyValue = YAMLValue(
                        node: key, name: "a key", context: value.context, diagnostics: value.diagnostics)
                    keyValue.report("a key must be a name, found \(keyValue.found)", fix: "write 'name: value'")
                    continue
                }
                if value.diagnostics.duplicateKeyPlaceholders.contains(scalar.string) { continue }
                if let previous = pairs.last, let joined = Self.splitDecimal(previous.valueNode, key, node) {
                    pairs[pairs.count - 1].valueNode = joined
                    continue
                }
                pairs.append((scalar.string, key, node))
            }
        }
        self.pairs = pairs
    }

    /// `3` followed on the same line by the key `5` with no value: the text `3,5` at the position of the `3`.
    private static func splitDecimal(_ previous: Node, _ key: Node, _ value: Node) -> Node? {
        guard case .scalar(let whole) = previous, case .scalar(let fraction) = key, case .scalar(let empty) = value,
            whole.style == .plain, fraction.style == .plain, empty.style == .plain, empty.string.isEmpty,
            previous.tag.rawValue == Tag.Name.int.rawValue,
            !fraction.string.isEmpty, fraction.string.allSatisfy(\.isASCIIDigit),
            let wholeMark = whole.mark, let fractionMark = fraction.mark, wholeMark.line == fractionMark.line
        else { return nil }
        return .scalar(Node.Scalar(whole.string + "," + fraction.string, Tag(.str), .plain, wholeMark))
    }

    /// Where the mapping is, put before every message (see `YAMLValue.context`). Values handed out afterwards
    /// carry it too.
    public var context: String? {
        get { value.context }
        set { value.context = newValue }
    }

    /// The keys in file order.
    public var keys: [String] { pairs.map(\.key) }

    public var isEmpty: Bool { pairs.isEmpty }

    /// The entries in file order.
    public var entries: [Entry] {
        pairs.map { pair in
            Entry(
                key: pair.key,
                keyValue: YAMLValue(
                    node: pair.keyNode, name: "'\(pair.key)'", context: context, diagnostics: value.diagnostics),
                value: makeValue(pair)
            )
        }
    }

    /// The value of `key`, or nil when the key is absent.
    public func optional(_ key: String) -> YAMLValue? {
        pairs.first { $0.key == key }.map(makeValue)
    }

    /// The value of `key`; when it is absent, reports "missing 'key'" at the mapping with `fix` and returns nil.
    public func required(_ key: String, fix: String? = nil) -> YAMLValue? {
        if let found = optional(key) { return found }
        report("missing '\(key)'", fix: fix ?? "add '\(key): …'")
        return nil
    }

    /// Reports every key that is not in `known`, with the known keys and, when one is close, "did you mean …?".
    public func checkKeys(_ known: [String]) {
        for entry in entries where !known.contains(entry.key) {
            entry.keyValue.report(
                "unknown key '\(YAMLValue.shortened(entry.key))'",
                fix: Self.unknownFix(entry.key, known: known, kind: "keys")
            )
        }
    }

    /// "did you mean 'x'? The known keys here are: a, b, c".
    public static func unknownFix(_ word: String, known: [String], kind: String = "keys") -> String {
        let list = known.joined(separator: ", ")
        if let suggestion = YAMLSuggestion.closest(to: word, among: known) {
            return "did you mean '\(suggestion)'? The known \(kind) here are: \(list)"
        }
        return "the known \(kind) here are: \(list)"
    }

    /// Reports a problem about the mapping as a whole, at the key naming it (or at its first line).
    public func report(_ message: String, fix: String) {
        let mark = value.keyMark ?? value.node.mark
        value.diagnostics.report(value.contextual(message), fix: fix, line: mark?.line, column: mark?.column)
    }

    private func makeValue(_ pair: (key: String, keyNode: Node, valueNode: Node)) -> YAMLValue {
        YAMLValue(
            node: pair.valueNode, name: "'\(pair.key)'", context: context, keyMark: pair.keyNode.mark,
            diagnostics: value.diagnostics
        )
    }
}

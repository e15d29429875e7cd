/// One problem found in a YAML file: where it is, what is wrong, and how to fix it.
///
/// Its `description` is the form compilers use, so editors and terminals can jump to the spot:
/// ```
/// sensors/stations.yaml:42:5: station 'cau-lau': alarm level II (3.50 m) must be above level I (3.60 m)
///   fix: correct the levels from the official decision, lowest first
/// ```
public struct YAMLProblem: Sendable, Hashable, CustomStringConvertible {
    /// The file as the user named it (a path, or a label for text that came from elsewhere).
    public var file: String
    /// 1-based line, when the problem has a place in the file.
    public var line: Int?
    /// 1-based column, counted in Unicode scalars as libyaml does.
    public var column: Int?
    /// What is wrong, naming the offending value.
    public var message: String
    /// What to do about it.
    public var fix: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String, fix: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.fix = fix
    }

    /// `file:line:column` (as much of it as is known).
    public var location: String {
        guard let line else { return file }
        guard let column else { return "\(file):\(line)" }
        return "\(file):\(line):\(column)"
    }

    public var description: String {
        "\(location): \(message)\n  fix: \(fix)"
    }

    /// Several problems, one block each, in the given order.
    public static func report(_ problems: [YAMLProblem]) -> String {
        problems.map(\.description).joined(separator: "\n")
    }
}

/// Collects the problems of one file while it is read, so that all of them are reported at once
/// instead of only the first.
///
/// One instance per file read; not shared between tasks.
public final class YAMLDiagnostics {
    public let file: String
    /// In the order they were found.
    public private(set) var problems: [YAMLProblem] = []
    /// Keys that `YAMLDocument` put in place of duplicate keys so that the rest of the file could still be read;
    /// `YAMLMapping` leaves them out.
    var duplicateKeyPlaceholders: Set<String> = []

    public init(file: String) {
        self.file = file
    }

    public var isEmpty: Bool { problems.isEmpty }

    public func report(_ message: String, fix: String, line: Int? = nil, column: Int? = nil) {
        problems.append(YAMLProblem(file: file, line: line, column: column, message: message, fix: fix))
    }

    /// The problems sorted by line and column (problems about the whole file first), for showing to a person.
    public var problemsInFileOrder: [YAMLProblem] {
        problems.enumerated()
            .sorted { lhs, rhs in
                let left = (lhs.element.line ?? 0, lhs.element.column ?? 0, lhs.offset)
                let right = (rhs.element.line ?? 0, rhs.element.column ?? 0, rhs.offset)
                return left < right
            }
            .map(\.element)
    }
}

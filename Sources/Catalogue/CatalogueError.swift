/// Why the station catalogue could not be loaded: every problem of the file, each with its line and a fix.
public struct CatalogueError: Error, Sendable, CustomStringConvertible {
    /// A problem of the catalogue file: `file`, `line` and `column` (1-based, nil when the problem has no place in
    /// the file, e.g. a missing file), `message` and `fix`.
    public typealias Problem = YAMLProblem

    /// In file order.
    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    /// One block per problem:
    /// ```
    /// sensors/stations.yaml:42:5: station 'cau-lau': alarm level II (3.50 m) must be above level I (3.60 m)
    ///   fix: correct the levels from the official decision, lowest first
    /// ```
    public var description: String {
        YAMLProblem.report(problems)
    }
}

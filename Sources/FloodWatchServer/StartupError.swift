/// A start-up problem: what is wrong and how to fix it.
public struct StartupError: Error, CustomStringConvertible {
    public let problem: String
    public let fix: String

    public init(_ problem: String, fix: String) {
        self.problem = problem
        self.fix = fix
    }

    public var description: String { "\(problem)\n  fix: \(fix)" }
}

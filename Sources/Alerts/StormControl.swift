import Warnings

/// Storm control: when a mobile network fails, dozens of gauges go silent within minutes. Officers need one alert
/// that names them all, not fifty. Silent-gauge notices (raised or cleared) wait `windowMilliseconds` after the
/// first of them; if `threshold` or more of the same kind arrived in that window they become one grouped notice,
/// otherwise each goes out on its own. Silence is detected only after tens of minutes anyway, so the wait costs
/// little.
public struct StormControl: Sendable, Hashable {
    public var threshold: Int
    public var windowMilliseconds: Int64

    public init(threshold: Int = 10, windowMilliseconds: Int64 = 120_000) {
        self.threshold = threshold
        self.windowMilliseconds = windowMilliseconds
    }

    /// What to do with a new notice now.
    public enum Decision: Sendable, Hashable {
        /// Route these notices, each on its own.
        case route([Int64])
        /// Fold these notices into one grouped notice.
        case group([Int64])
    }

    /// Whether a notice waits for storm control.
    public static func isHeld(_ notice: Notice) -> Bool {
        guard notice.kind == .event, let event = notice.event?.event else { return false }
        return event.rule == .silent && (event.kind == .raised || event.kind == .cleared)
    }

    /// Decides about the new (not yet routed) notices: everything not held is routed at once; held notices are
    /// decided once their window has passed, and left for later otherwise.
    public func decide(_ notices: [Notice], now: Int64) -> [Decision] {
        var decisions: [Decision] = []
        let immediate = notices.filter { !Self.isHeld($0) }.map(\.id)
        if !immediate.isEmpty { decisions.append(.route(immediate)) }

        for kind in [WarningEventKind.raised, .cleared] {
            var waiting = notices.filter { Self.isHeld($0) && $0.event?.event.kind == kind }
                .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            while let first = waiting.first, now >= first.createdAt + windowMilliseconds {
                let inWindow = waiting.prefix { $0.createdAt < first.createdAt + windowMilliseconds }
                let ids = inWindow.map(\.id)
                decisions.append(ids.count >= threshold ? .group(ids) : .route(ids))
                waiting.removeFirst(ids.count)
            }
        }
        return decisions
    }
}

import Alerts
import Storage

/// The PostgreSQL store behind the alert service: each blocking method waits for its asynchronous twin, on the alert
/// service's own threads (`waitForAsync`). A write has committed when its call returns, as on SQLite.
extension PostgresDatabase: AlertStore {
    public func newNotices(limit: Int) throws -> [Notice] {
        try waitOnAlertConnection { try await self.newNotices(limit: limit) }
    }

    public func route(_ routes: [(notice: Int64, targets: [DeliveryTarget])], now: Int64) throws {
        try waitOnAlertConnection { try await self.route(routes, now: now) }
    }

    public func group(_ members: [Int64], now: Int64, targets: (Notice) -> [DeliveryTarget]) throws -> Notice? {
        try withoutActuallyEscaping(targets) { targets in
            let lent = LentToWaitedTask(targets)
            defer { lent.takeBack() }
            return try waitOnAlertConnection {
                try await self.group(members, now: now) { notice in lent.use({ $0(notice) }, otherwise: []) }
            }
        }
    }

    @discardableResult
    public func addReminders(now: Int64, intervalMilliseconds: Int64, minimumLevel: Int) throws -> Int {
        try waitOnAlertConnection {
            try await self.addReminders(
                now: now, intervalMilliseconds: intervalMilliseconds, minimumLevel: minimumLevel)
        }
    }

    public func dueDeliveries(_ channel: AlertChannel, target: String?, now: Int64, limit: Int) throws
        -> [PendingDelivery]
    {
        try waitOnAlertConnection { try await self.dueDeliveries(channel, target: target, now: now, limit: limit) }
    }

    public func claimDueDeliveries(
        _ channel: AlertChannel, target: String?, now: Int64, limit: Int, claimMilliseconds: Int64
    ) throws -> [PendingDelivery] {
        try waitOnAlertConnection {
            try await self.claimDueDeliveries(
                channel, target: target, now: now, limit: limit, claimMilliseconds: claimMilliseconds)
        }
    }

    public func nextAttempt(_ channel: AlertChannel, target: String?) throws -> Int64? {
        try waitOnAlertConnection { try await self.nextAttempt(channel, target: target) }
    }

    public func notices(_ ids: [Int64]) throws -> [Int64: Notice] {
        try waitOnAlertConnection { try await self.notices(ids) }
    }

    public func record(_ outcomes: [DeliveryRecord]) throws {
        try waitOnAlertConnection { try await self.record(outcomes) }
    }

    public func activeWarnings(station: String?) throws -> [ActiveWarning] {
        try waitOnAlertConnection { try await self.activeWarnings(station: station) }
    }

    public func activeWarnings(stations: [String]) throws -> [String: [ActiveWarning]] {
        try waitOnAlertConnection { try await self.activeWarnings(stations: stations) }
    }
}

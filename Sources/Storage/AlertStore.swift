import Alerts
import Warnings

/// What the alert service needs of a store (`AlertService`, `MQTTAlertLane`): notices to route, deliveries to make
/// and their outcomes, reminders and storm control, and the active warnings that retained alert topics show. The
/// alert service knows no more of the store than this (issue 16: PostgreSQL beside SQLite).
///
/// Blocking: called on the alert service's own thread. Each writing method does all of its writes or none.
public protocol AlertStore: AnyObject, Sendable {
    /// Notices not yet routed to their deliveries, oldest first, at most `limit`.
    func newNotices(limit: Int) throws -> [Notice]
    /// Creates the deliveries of notices and marks them routed, in one transaction.
    func route(_ routes: [(notice: Int64, targets: [DeliveryTarget])], now: Int64) throws
    /// Storm control: folds notices into one grouped notice and creates its deliveries, in one transaction.
    func group(_ members: [Int64], now: Int64, targets: (Notice) -> [DeliveryTarget]) throws -> Notice?
    /// Adds a reminder notice for every active warning of `minimumLevel` or above that nobody acknowledged since it
    /// was raised or last escalated, and about which nothing was sent for `intervalMilliseconds`; returns how many.
    @discardableResult
    func addReminders(now: Int64, intervalMilliseconds: Int64, minimumLevel: Int) throws -> Int
    /// Deliveries of a channel (one target of it, or all) whose next attempt is due, oldest first.
    func dueDeliveries(_ channel: AlertChannel, target: String?, now: Int64, limit: Int) throws -> [PendingDelivery]
    /// The due deliveries a dispatcher is about to send, as `dueDeliveries`, claimed for `claimMilliseconds`: on a
    /// store several instances share, their next attempt moves on by that much, and deliveries another dispatcher
    /// is claiming at this moment are skipped, so that two dispatchers never hold the same delivery. A claim ends
    /// when the outcome is recorded, or by itself (a dispatcher that died with it): the delivery is then due again.
    func claimDueDeliveries(_ channel: AlertChannel, target: String?, now: Int64, limit: Int, claimMilliseconds: Int64)
        throws -> [PendingDelivery]
    /// The earliest next attempt of a channel's pending deliveries (of one target, when given), if any.
    func nextAttempt(_ channel: AlertChannel, target: String?) throws -> Int64?
    /// The notices with these ids.
    func notices(_ ids: [Int64]) throws -> [Int64: Notice]
    /// Records the outcomes of attempts made together, in one transaction.
    func record(_ outcomes: [DeliveryRecord]) throws
    /// The active warnings, of one station or all, with their acknowledgement.
    func activeWarnings(station: String?) throws -> [ActiveWarning]
    /// The active warnings of a few stations.
    func activeWarnings(stations: [String]) throws -> [String: [ActiveWarning]]
}

extension AlertStore {
    public func newNotices() throws -> [Notice] { try newNotices(limit: 500) }

    public func dueDeliveries(_ channel: AlertChannel, target: String? = nil, now: Int64) throws -> [PendingDelivery] {
        try dueDeliveries(channel, target: target, now: now, limit: 200)
    }

    public func activeWarnings() throws -> [ActiveWarning] { try activeWarnings(station: nil) }

    /// A store of one instance (the SQLite file) has one dispatcher: what is due is its own, and a delivery in hand
    /// at a crash is due again at once after the restart.
    public func claimDueDeliveries(
        _ channel: AlertChannel, target: String?, now: Int64, limit: Int, claimMilliseconds: Int64
    ) throws -> [PendingDelivery] {
        try dueDeliveries(channel, target: target, now: now, limit: limit)
    }
}

/// The SQLite store.
extension FloodDatabase: AlertStore {}

import Alerts

/// What the bulletin schedule needs of a store besides the history the bulletin is compiled from: when the last
/// bulletin was made, and a new one stored with its notice for the alert service to route.
///
/// Asynchronous, like `HistoryStore`; the SQLite store's synchronous methods stand for them.
public protocol BulletinStore: HistoryStore {
    /// When the latest bulletin was made (Unix ms UTC), nil before the first: the schedule survives a restart.
    func lastBulletinTime() async throws -> Int64?
    /// Stores a bulletin and its notice in one transaction. - Returns: the notice's id.
    @discardableResult
    func addBulletin(_ bulletin: BulletinPayload, now: Int64) async throws -> Int64
    /// The id drawn when the store was created: in every CAP identifier, so that two stores never send the same one.
    func installationID() async throws -> String
}

/// The SQLite store.
extension FloodDatabase: BulletinStore {}

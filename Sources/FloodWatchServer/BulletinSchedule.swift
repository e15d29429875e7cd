import Alerting
import Alerts
import Bulletin
import Gauges
import Logging
import ServiceLifecycle
import Storage
import Warnings

/// Makes the situation report (bản tin) every `bulletin.every` while a warning about the water is active, and puts
/// it in the alert outbox: from there it reaches `alerts/bulletin`, every webhook and every e-mail address like any
/// notice, retried and never sent twice. The time of the last one is read from the database, so a restart neither
/// repeats nor skips one. Silent gauges and lost readings alone make no bulletin: they are the staff's, not a flood.
struct BulletinSchedule: Service {
    let everySeconds: Int
    /// `serve --exercise`: the bulletin's JSON says it is an exercise (its e-mails say so anyway).
    let exercise: Bool
    let database: any BulletinStore
    let catalogue: StationCatalogue
    let clock: WallClock
    let logger: Logger
    /// Sends the new notice now rather than at the alert service's next look at the outbox.
    let wake: @Sendable () -> Void

    func run() async throws {
        // Often enough to keep the interval to within a fifth of it, and at least once a minute.
        let checkSeconds = max(1, min(60, everySeconds / 5))
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await makeIfDue()
                try await Task.sleep(for: .seconds(checkSeconds))
            }
        }
    }

    func makeIfDue() async {
        let now = clock()
        do {
            if let last = try await database.lastBulletinTime(), now - last < Int64(everySeconds) * 1000 { return }
            guard
                try await BulletinBuilder.anyWarningActive(database: database, at: now, ignoring: [.silent, .gap])
            else { return }
            var bulletin = try await BulletinBuilder.build(database: database, catalogue: catalogue, at: now)
            bulletin.exercise = exercise
            let notice = try await database.addBulletin(
                BulletinPayload(at: now, text: bulletin.text(), json: bulletin.jsonText()), now: now)
            wake()
            logger.notice(
                "Bulletin made", metadata: ["notice": "\(notice)", "warnings": "\(bulletin.warnings.count)"])
        } catch {
            logger.error("Cannot make the bulletin; will retry", metadata: ["error": "\(error)"])
        }
    }
}

import BlockingWork
import CoreMetrics
import Foundation
import Gauges
import Logging
import MQTT
import ServiceLifecycle
import Storage
import Synchronization

/// Takes gauge readings from the broker and stores them, acknowledging each message only after the
/// transaction holding its rows has committed.
///
/// The MQTT network loop and the SQLite commits are blocking C calls, so they run on a thread of their own,
/// not on Swift's cooperative pool. `run()` waits for that thread. On graceful shutdown the thread stops
/// reading, commits what it has read, sends those acknowledgements and disconnects; the broker keeps the
/// session and queues what arrives until FloodWatch is back.
public final class IngestService: Service, Sendable {
    let configuration: IngestConfiguration
    let decoder: PayloadDecoder
    /// Where batches are stored: the SQLite file (`FloodDatabase`) or another `IngestStore`.
    let database: any IngestStore
    let logger: Logger
    let metrics: IngestMetrics
    let clock: WallClock
    /// Told of every committed batch, on the ingest thread: must return at once (the live event stream).
    let onCommit: @Sendable (IngestOutcome) -> Void
    /// Asked before each connection to the broker: false while the session is not this instance's to open (a
    /// slot whose lease it may have lost during a pause, issue 17).
    let mayConnect: @Sendable () -> Bool
    /// What the ingest thread sleeps on between reconnections and retries: a stop ends the sleep at once.
    let stopRequest = StopRequest()
    /// Ends the thread's wait for the broker at once on a stop.
    let pollInterrupt = PollInterrupt()
    private let state = Mutex(IngestStatus())

    /// - Parameters:
    ///   - metricsFactory: where the counters go; the process-wide `MetricsSystem` unless a test passes its own.
    ///   - clock: decides `received_at`, which timestamps are in the future, and when gauges count as silent.
    public init(
        configuration: IngestConfiguration,
        catalogue: StationCatalogue,
        database: any IngestStore,
        logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory,
        clock: WallClock = .system,
        mayConnect: @escaping @Sendable () -> Bool = { true },
        onCommit: @escaping @Sendable (IngestOutcome) -> Void = { _ in }
    ) {
        self.mayConnect = mayConnect
        self.configuration = configuration
        self.decoder = PayloadDecoder(catalogue: catalogue, limits: configuration.limits)
        self.database = database
        self.logger = logger
        self.metrics = IngestMetrics(factory: metricsFactory, session: configuration.metricsSession)
        self.clock = clock
        self.onCommit = onCommit
    }

    /// A snapshot of the connection and storage state.
    public var status: IngestStatus {
        state.withLock { $0 }
    }

    func updateStatus(_ change: (inout IngestStatus) -> Void) {
        state.withLock { change(&$0) }
    }

    var isStopping: Bool {
        stopRequest.isRequested
    }

    /// Asks the loop to finish: it commits and acknowledges what it has read, then disconnects. Takes effect at
    /// once, whether the thread waits for the broker, for a reconnection or for a retry.
    public func stop() {
        stopRequest.request()
        pollInterrupt.interrupt()
    }

    public func run() async throws {
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await BlockingWork.onOwnThread(name: "floodwatch-ingest") { try self.runLoop() }
            } onGracefulShutdown: {
                self.stop()
            }
        } onCancel: {
            self.stop()
        }
    }
}

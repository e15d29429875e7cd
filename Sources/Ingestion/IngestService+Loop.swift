import Foundation
import Gauges
import Logging
import MQTT
import Storage
import Warnings

extension IngestService {
    /// The ingest thread: read a batch, commit it, then acknowledge it, until asked to stop.
    ///
    /// Each turn is `poll` (read only) → `commit` (one transaction, retried until it succeeds) →
    /// `writePending` (the PUBACKs of that batch leave now). See `MQTTConnection` for why the acknowledgements
    /// cannot leave earlier. A crash at any point loses no acknowledged reading: messages read but not committed
    /// were not acknowledged and the broker redelivers them; messages committed but not yet acknowledged are
    /// redelivered too and recognised as duplicates by the key of `readings`.
    func runLoop() throws {
        let connection = try MQTTConnection(configuration: configuration.broker)
        var desk = try WarningDesk(
            catalogue: decoder.catalogue, database: database, now: clock(),
            silenceCheckSeconds: configuration.silenceCheckSeconds)
        let broker = configuration.broker.endpoint
        var reconnect = Backoff(configuration.reconnectDelay)
        var nextAttempt = ContinuousClock.now
        var wasConnected = false
        var droppedSubscription: Int32 = -1
        /// The subscriptions of `topicFilters` sent on this connection and not yet granted, by message id.
        var ungranted: [Int32: String] = [:]
        var drops = BrokerDrops()

        /// Marks the connection down and schedules the next attempt; `lost` says whether one was open.
        func connectionLost(_ reason: String, lost: Bool = true) {
            updateStatus {
                $0.brokerConnected = false
                $0.subscribed = false
            }
            metrics.brokerConnected.record(0)
            let delay = reconnect.next()
            nextAttempt = ContinuousClock.now + .milliseconds(Int64(delay * 1000))
            logger.warning(
                lost ? "Broker connection lost; reconnecting" : "Cannot reach the broker; retrying",
                metadata: ["broker": "\(broker)", "reason": "\(reason)", "retry_in_s": "\(Self.seconds(delay))"])
        }

        logger.info(
            "Ingest starting",
            metadata: ["broker": "\(configuration.broker)", "filters": "\(Self.describe(configuration.topicFilters))"])
        while !isStopping {
            if !connection.isOpen {
                // Closed by a failed write rather than reported by `poll`: say the connection is lost all the same.
                if status.brokerConnected {
                    connectionLost("the connection closed")
                    continue
                }
                let wait = nextAttempt - ContinuousClock.now
                if wait > .zero {
                    stopRequest.sleep(Self.timeInterval(wait))
                    continue
                }
                guard mayConnect() else {
                    // Until the lease is renewed, or the work stopped because it was not.
                    stopRequest.sleep(0.2)
                    continue
                }
                do {
                    try connection.connect()
                    try connection.writePending()
                } catch {
                    connectionLost("\(error)", lost: false)
                    continue
                }
            }

            var messages: [MQTTMessage] = []
            // Readings wake the poll at once, and so does a stop: the timeout only paces the housekeeping below
            // (silent gauges, keep-alive), so an idle service wakes about once a second.
            let events = connection.poll(
                timeoutMilliseconds: idlePollMilliseconds, maxMessages: configuration.maxBatchMessages,
                maxBytes: configuration.maxBatchBytes, interrupt: pollInterrupt)
            for event in events {
                switch event {
                case .message(let message) where message.topic == BrokerDrops.topic:
                    drops.observe(message.payload, logger: logger, metrics: metrics) { count in
                        updateStatus { $0.brokerDroppedMessages = count }
                    }
                case .message(let message):
                    if !configuration.ignoredStations.isEmpty, let station = GaugeTopic.station(in: message.topic),
                        configuration.ignoredStations.contains(station)
                    {
                        break
                    }
                    messages.append(message)
                case .connected(let sessionPresent):
                    do {
                        ungranted = [:]
                        for filter in configuration.topicFilters {
                            ungranted[try connection.subscribe(filter, qos: configuration.subscriptionQoS)] = filter
                        }
                        // The broker's own count of messages it dropped (queue limits): loss before FloodWatch.
                        droppedSubscription = try connection.subscribe(BrokerDrops.topic, qos: 0)
                    } catch {
                        logger.error("Subscribe failed", metadata: ["error": "\(error)"])
                    }
                    reconnect.reset()
                    updateStatus {
                        $0.brokerConnected = true
                        $0.connections += 1
                    }
                    metrics.brokerConnected.record(1)
                    logger.info(
                        wasConnected ? "Reconnected to broker" : "Connected to broker",
                        metadata: [
                            "broker": "\(broker)", "client_id": "\(configuration.broker.clientID)",
                            "session_present": "\(sessionPresent)",
                        ])
                    wasConnected = true
                case .subscribed(_, let messageID) where messageID == droppedSubscription:
                    // Refused by an ACL without `topic read $SYS/broker/publish/messages/dropped`: say so once.
                    if case .subscribed(nil, _) = event {
                        logger.warning(
                            "Cannot watch the broker's dropped-message counter; allow FloodWatch's account to read it",
                            metadata: ["topic": "\(BrokerDrops.topic)"])
                    }
                case .subscribed(let qos?, let messageID):
                    guard ungranted.removeValue(forKey: messageID) != nil, ungranted.isEmpty else { break }
                    updateStatus { $0.subscribed = true }
                    logger.info(
                        "Subscribed",
                        metadata: ["filters": "\(Self.describe(configuration.topicFilters))", "granted_qos": "\(qos)"])
                case .subscribed(nil, let messageID):
                    logger.error(
                        "Broker refused the subscription; check the broker's access rules for this client",
                        metadata: [
                            "filter": "\(ungranted[messageID] ?? "?")",
                            "client_id": "\(configuration.broker.clientID)",
                        ])
                case .refused(let error):
                    logger.error(
                        "Broker refused the connection", metadata: ["broker": "\(broker)", "error": "\(error)"])
                case .disconnected(let error):
                    connectionLost(error.map { "\($0)" } ?? "disconnected")
                }
            }

            if !messages.isEmpty, !commit(messages, desk: &desk) {
                // Stopping while the database refuses writes: leave without acknowledging anything read.
                logger.warning("Stopped with an uncommitted batch; the broker will redeliver it")
                return
            }
            // Silent gauges are looked for only while subscribed and caught up with what the broker holds: readings
            // still queued there are not silence, and with the broker away nothing could arrive at all.
            if status.subscribed, !connection.lastPollReachedLimit {
                do {
                    report(try desk.checkSilence(now: clock(), in: database))
                } catch let lost as LeaseLost {
                    leaseLost(lost)
                    break
                } catch {
                    logger.error("Cannot store silent-gauge warnings; will retry", metadata: ["error": "\(error)"])
                }
            }
            connection.maintain()
            do {
                try connection.writePending()
            } catch {
                // The next poll reports the disconnection; committed rows are safe and will be deduplicated.
                logger.debug("Write to broker failed", metadata: ["error": "\(error)"])
            }
        }

        connection.disconnect()
        updateStatus {
            $0.brokerConnected = false
            $0.subscribed = false
        }
        metrics.brokerConnected.record(0)
        logger.info("Ingest stopped", metadata: ["messages_committed": "\(status.messagesCommitted)"])
    }

    /// Decodes and stores one batch, retrying while the database refuses the transaction (disk full, I/O error,
    /// locked by another process). Nothing is acknowledged meanwhile, so the broker keeps the rest queued.
    /// - Returns: false only when a stop was requested before the batch could be stored.
    private func commit(_ messages: [MQTTMessage], desk: inout WarningDesk) -> Bool {
        metrics.messagesReceived.increment(by: messages.count)
        let receivedAt = clock()
        let batch = IngestBatch(
            receivedAt: receivedAt,
            messages: messages.map { message in
                IngestBatch.Message(
                    topic: message.topic, payload: message.payload,
                    decoded: decoder.decode(topic: message.topic, payload: message.payload, now: receivedAt))
            })
        var retry = Backoff(configuration.storageRetryDelay)
        while true {
            let started = ContinuousClock.now
            do {
                let outcome = try desk.store(batch, in: database)
                metrics.commitDuration.recordNanoseconds(Self.nanoseconds(ContinuousClock.now - started))
                metrics.record(outcome)
                updateStatus {
                    $0.storageError = nil
                    $0.messagesCommitted += messages.count
                }
                // A few lines per batch, then a count: a sender of thousands of bad readings must not fill the disk
                // through the log. Every rejection is in the `rejected` table and the metrics.
                for record in outcome.rejected.prefix(Self.linesLoggedPerBatch) {
                    logger.warning(
                        "Rejected",
                        metadata: [
                            "topic": "\(record.topic)", "reason_code": "\(record.code)", "reason": "\(record.reason)",
                        ])
                }
                if outcome.rejected.count > Self.linesLoggedPerBatch {
                    logger.warning(
                        "More rejected in this batch; see the rejected table",
                        metadata: ["more": "\(outcome.rejected.count - Self.linesLoggedPerBatch)"])
                }
                for gap in outcome.gaps.prefix(Self.linesLoggedPerBatch) {
                    logger.warning(
                        "Readings lost upstream: a gap in the gauge's counter",
                        metadata: [
                            "station": "\(gap.station)", "sensor": "\(gap.sensor.rawValue)",
                            "missing_seq": "\(gap.firstSeq)...\(gap.lastSeq)", "missing": "\(gap.missing)",
                        ])
                }
                report(outcome.warnings)
                onCommit(outcome)
                return true
            } catch let lost as LeaseLost {
                leaseLost(lost)
                return false
            } catch {
                metrics.commitFailures.increment()
                updateStatus { $0.storageError = "\(error)" }
                let delay = retry.next()
                logger.error(
                    "Cannot store readings; nothing is acknowledged until this succeeds",
                    metadata: [
                        "messages": "\(messages.count)", "error": "\(error)", "retry_in_s": "\(Self.seconds(delay))",
                    ])
                if !stopRequest.sleep(delay) { return false }
            }
        }
    }

    /// Stops the loop at once, acknowledging nothing more: the slot's lease went to another instance, which gets
    /// what this one read and did not commit from the broker.
    private func leaseLost(_ lost: LeaseLost) {
        updateStatus { $0.leaseLost = lost.lease }
        logger.warning(
            "The slot's lease was lost; stopping without acknowledging the batch in hand",
            metadata: ["lease": "\(lost.lease)"])
        stop()
    }

    /// The topic filters for a log line: a slot's hundreds of stations as a count and the first few.
    static func describe(_ filters: [String]) -> String {
        filters.count <= 3
            ? filters.joined(separator: ", ")
            : "\(filters.prefix(3).joined(separator: ", ")) and \(filters.count - 3) more"
    }

    /// Rejections, and gaps, logged one by one per batch; past this a count (everything is in the tables).
    static let linesLoggedPerBatch = 20

    /// Logs and counts warning events; the alert service sends them from the outbox (`alert_notices`).
    private func report(_ events: [WarningEvent]) {
        for event in events {
            metrics.warningEvents[event.kind]?.increment()
            logger.notice(
                "Warning \(event.kind.rawValue)",
                metadata: [
                    "station": "\(event.station)", "sensor": "\(event.sensor.rawValue)",
                    "rule": "\(event.rule.rawValue)",
                    "level": "\(event.level)", "late": "\(event.late)", "message": "\(event.messageEN)",
                ])
        }
    }

    /// The longest wait for the broker: the silent-gauge check and libmosquitto's keep-alive run between waits.
    private var idlePollMilliseconds: Int32 {
        Int32(min(1000, max(configuration.silenceCheckSeconds, 1) * 1000))
    }

    private static func timeInterval(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    private static func seconds(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}

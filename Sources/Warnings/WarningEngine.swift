import Gauges

/// Turns stored readings into flood warnings: official alarm levels, rate of rise, projected crossings, rain
/// accumulation and silent gauges, each rule with the station's settings (`Station.rules`).
///
/// A value type without shared mutable state. A caller that may have to take a batch back evaluates it between
/// `beginChanges()` and `keepChanges()` (its transaction committed) or `undoChanges()` (it failed), so a retry
/// applies nothing twice; undoing restores only the sensors the batch touched. The ingest path does not: it
/// rebuilds the engine from the database after a failed transaction (`WarningDesk`), which spares every batch the
/// copies the journal keeps.
/// Per sensor it keeps a watermark, the newest reading time processed: newer readings are evaluated in time order
/// (a backlog after a link loss is evaluated as if on time, its events marked late); an older reading only fills
/// the rolling windows, so nothing is evaluated twice.
public struct WarningEngine: Sendable {
    private let plans: [String: StationPlan]
    /// Station ids in catalogue order.
    private let stationOrder: [String]
    /// Every sensor of the catalogue, numbered once: its state is at that place in `states`, changed there in place.
    /// Numbers follow the catalogue, and within a station the sensors' names: the order in which readings of one
    /// instant are evaluated. Keyed by `SensorKey`, hashing a station id and moving each state in and out of a
    /// dictionary for every reading cost more than the rules themselves at 10,000 stations.
    private let slots: [SensorKey: Int]
    /// Slots by the caller's number of a sensor (`evaluate(_:series:arrivedAt:)`): slot + 1, 0 not looked up yet,
    /// -1 not in the catalogue.
    private var slotsByNumber: [Int32] = []
    private let slotPlans: [StationPlan]
    private let slotSensors: [Sensor]
    private var states: [SensorState?]
    /// Sensors whose snapshot changed in more than a restart rebuilds from stored readings: the ones
    /// `takeChangedSnapshots()` returns for `engine_state`.
    private var changed: Set<Int> = []
    /// The batch in which each slot was last heard from (`batchesEvaluated` then), so that a batch lists each
    /// sensor heard once without a set of its own: inserting every reading's slot in a `Set` was about 1 % of a
    /// drain's samples.
    private var heardInBatch: [UInt32]
    private var batchesEvaluated: UInt32 = 0
    /// How far back a restart reads stored readings (`historySeconds(for:)`), ms.
    private let historyMilliseconds: Int64
    /// Since `beginChanges()`: each touched sensor's state before its first change (nil: it had none), and the
    /// change set as it was.
    private var journal: (states: [Int: SensorState?], changed: Set<Int>)?

    /// A fresh engine: no warnings open, no sensor heard from yet.
    public init(catalogue: StationCatalogue) {
        var plans: [String: StationPlan] = [:]
        var slots: [SensorKey: Int] = [:]
        var slotPlans: [StationPlan] = []
        var slotSensors: [Sensor] = []
        for (index, station) in catalogue.stations.enumerated() {
            let plan = StationPlan(station: station, index: index, catalogue: catalogue)
            plans[station.id] = plan
            for kind in Set(station.sensors.map(\.kind)).sorted(by: { $0.rawValue < $1.rawValue }) {
                guard let sensor = station.sensor(kind) else { continue }
                slots[SensorKey(station: station.id, sensor: kind)] = slotSensors.count
                slotPlans.append(plan)
                slotSensors.append(sensor)
            }
        }
        self.plans = plans
        self.slots = slots
        self.slotPlans = slotPlans
        self.slotSensors = slotSensors
        states = Array(repeating: nil, count: slotSensors.count)
        heardInBatch = Array(repeating: 0, count: slotSensors.count)
        stationOrder = catalogue.stations.map(\.id)
        historyMilliseconds = Int64(plans.values.map(\.historySeconds).max() ?? 0) * 1000
    }

    /// Resumes after a restart: the persisted per-sensor snapshots plus the stored readings of the recent past
    /// (at least `historySeconds` before each sensor's newest reading) to rebuild rolling windows. Emits nothing.
    ///
    /// `recent` holds the readings as stored, with the quality the caller stored (so spikes are `suspect` and stay
    /// out of the windows); extra older readings are ignored. A stored reading newer than its sensor's snapshot
    /// (or of a sensor without one) is taken as processed, without events: snapshots are written only when what
    /// the readings cannot rebuild changes, so most are older than the sensor's newest reading.
    /// `arrivals` holds, per sensor, the latest arrival (`received_at`) among those readings: the silent-gauge
    /// timer. Without one, a sensor's newest reading time stands in for it.
    public init(
        catalogue: StationCatalogue, snapshots: [SensorKey: SensorSnapshot], recent: [Reading],
        arrivals: [SensorKey: Int64] = [:]
    ) {
        self.init(catalogue: catalogue)
        restore(snapshots: snapshots, recent: recent, arrivals: arrivals)
    }

    /// `init(catalogue:snapshots:recent:arrivals:)` on an engine just made from its catalogue, which can say first
    /// how far back `recent` must reach (`historySeconds`), so that its stations' plans are worked out once.
    public mutating func restore(
        snapshots: [SensorKey: SensorSnapshot], recent: [Reading], arrivals: [SensorKey: Int64] = [:]
    ) {
        for (key, snapshot) in snapshots {
            guard let slot = slots[key] else { continue }
            var state = SensorState(plan: slotPlans[slot], sensor: slotSensors[slot])
            state.snapshot = snapshot
            states[slot] = state
        }
        var readings: [SensorKey: [Reading]] = [:]
        for reading in recent {
            readings[SensorKey(station: reading.station, sensor: reading.sensor), default: []].append(reading)
        }
        for (key, sensorReadings) in readings {
            guard let slot = slots[key] else { continue }
            let plan = slotPlans[slot]
            if states[slot] == nil { states[slot] = SensorState(plan: plan, sensor: slotSensors[slot]) }
            states[slot]!.rebuild(
                from: sensorReadings.sorted { $0.timestamp < $1.timestamp }, arrival: arrivals[key], plan: plan)
        }
    }

    /// How far back `recent` must reach (seconds before each sensor's newest reading): the longest window any
    /// rule of the catalogue uses, e.g. 72 h when a station sets a 72-hour rain threshold.
    public static func historySeconds(for catalogue: StationCatalogue) -> Int {
        WarningEngine(catalogue: catalogue).historySeconds
    }

    /// `historySeconds(for:)` of this engine's catalogue.
    public var historySeconds: Int { Int(historyMilliseconds / 1000) }

    // MARK: Evaluation

    /// Evaluates newly stored readings (never a duplicate: the caller passes only readings that were new to the
    /// database). `arrivedAt` is when they reached FloodWatch (Unix ms); in replay it equals each reading's own ts
    /// (use `replay`). Readings are evaluated per sensor in timestamp order whatever their order here; readings of
    /// unknown stations or sensors are ignored.
    public mutating func evaluate(_ readings: [Reading], arrivedAt: Int64) -> Evaluation {
        var batch: [BatchItem] = []
        batch.reserveCapacity(readings.count)
        for (offset, reading) in readings.enumerated() {
            guard let slot = slots[SensorKey(station: reading.station, sensor: reading.sensor)] else { continue }
            batch.append(BatchItem(reading: reading, slot: slot, offset: offset))
        }
        return evaluate(&batch, arrivedAt: arrivedAt)
    }

    /// `evaluate(_:arrivedAt:)` of readings whose sensors the caller has numbered: `series[i]` is the number of
    /// `readings[i]`'s (station, sensor), the same number for the same sensor for as long as this engine lives (the
    /// storage's series numbers). A sensor's place in the engine is then looked up by its text once and kept by
    /// number: at 10,000 stations, hashing a `SensorKey` for every reading was 1.5 % of the samples of a drain.
    public mutating func evaluate(_ readings: [Reading], series: [Int64], arrivedAt: Int64) -> Evaluation {
        precondition(series.count == readings.count, "one series number a reading")
        var batch: [BatchItem] = []
        batch.reserveCapacity(readings.count)
        for offset in readings.indices {
            guard let slot = slot(of: readings[offset], numbered: series[offset]) else { continue }
            batch.append(BatchItem(reading: readings[offset], slot: slot, offset: offset))
        }
        return evaluate(&batch, arrivedAt: arrivedAt)
    }

    /// The slot of a reading's sensor, through `slotsByNumber`.
    private mutating func slot(of reading: Reading, numbered number: Int64) -> Int? {
        guard number >= 0, number < 1 << 20 else {
            return slots[SensorKey(station: reading.station, sensor: reading.sensor)]
        }
        let index = Int(number)
        if index >= slotsByNumber.count {
            slotsByNumber.append(
                contentsOf: repeatElement(0, count: Swift.max(index + 1, 2 * slotsByNumber.count) - slotsByNumber.count)
            )
        }
        let known = slotsByNumber[index]
        if known != 0 { return known > 0 ? Int(known) - 1 : nil }
        let slot = slots[SensorKey(station: reading.station, sensor: reading.sensor)]
        slotsByNumber[index] = slot.map { Int32($0 + 1) } ?? -1
        return slot
    }

    /// A reading of a batch with its sensor's slot and its place in the batch. A struct rather than a tuple: tuples
    /// holding a `Reading` were copied through the runtime's generic tuple witnesses, 1.3 % of a drain's samples.
    private struct BatchItem {
        var reading: Reading
        var slot: Int
        var offset: Int
    }

    /// Sorts `batch` in place (taken inout: a copy sorted would move every reading) and evaluates it.
    private mutating func evaluate(_ batch: inout [BatchItem], arrivedAt: Int64)
        -> Evaluation
    {
        // Slots follow the catalogue, then sensor names: time, station, sensor, then the order given.
        batch.sort { ($0.reading.timestamp, $0.slot, $0.offset) < ($1.reading.timestamp, $1.slot, $1.offset) }

        var evaluation = Evaluation()
        var heard: [Int] = []
        heard.reserveCapacity(batch.count)
        if batchesEvaluated == .max {
            heardInBatch = Array(repeating: 0, count: heardInBatch.count)
            batchesEvaluated = 0
        }
        batchesEvaluated += 1
        // By index: `for item in batch` copied each item out, its reading's strings retained and released.
        for index in batch.indices {
            let slot = batch[index].slot
            process(batch[index].reading, slot: slot, arrivedAt: arrivedAt, into: &evaluation)
            if heardInBatch[slot] != batchesEvaluated {
                heardInBatch[slot] = batchesEvaluated
                heard.append(slot)
            }
        }
        // Every sensor heard from is alive, whatever the age or quality of its readings.

        for slot in heard {
            guard
                let event = SilentRule.heard(
                    arrivedAt: arrivedAt, plan: slotPlans[slot], sensor: slotSensors[slot],
                    snapshot: &states[slot]!.snapshot)
            else { continue }
            changed.insert(slot)
            evaluation.events.append(event)
        }
        evaluation.events = Self.chronological(evaluation.events)
        return evaluation
    }

    /// Replay: each reading arrives at its own time; silent-gauge checks run at each reading's time first.
    public mutating func replay(_ readings: [Reading]) -> Evaluation {
        let ordered = readings.enumerated().sorted {
            ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset)
        }.map(\.element)
        var result = Evaluation()
        var start = 0
        while start < ordered.count {
            let time = ordered[start].timestamp
            var end = start + 1
            while end < ordered.count && ordered[end].timestamp == time { end += 1 }
            result.events += tick(now: time)
            let evaluation = evaluate(Array(ordered[start..<end]), arrivedAt: time)
            result.events += evaluation.events
            result.suspect += evaluation.suspect
            start = end
        }
        return result
    }

    /// Judges what the storing transaction found about gaps in gauges' `seq` counters (rule `gap`, `GapRule`):
    /// raises a sensor's warning at its first open gap, clears it when the last is filled. `now` is the batch's
    /// arrival. Changes of stations or sensors not in the catalogue are ignored.
    public mutating func judge(_ changes: [GapChange], at now: Int64) -> [WarningEvent] {
        var events: [WarningEvent] = []
        for change in changes {
            let gap = change.gap
            guard let slot = slots[SensorKey(station: gap.station, sensor: gap.sensor)] else { continue }
            remember(slot)
            let plan = slotPlans[slot]
            if states[slot] == nil { states[slot] = SensorState(plan: plan, sensor: slotSensors[slot]) }
            if let event = GapRule.judge(change, at: now, plan: plan, snapshot: &states[slot]!.snapshot) {
                events.append(event)
                changed.insert(slot)
            }
        }
        return events
    }

    /// Periodic check of silent gauges at `now` (Unix ms, arrival clock).
    public mutating func tick(now: Int64) -> [WarningEvent] {
        var events: [WarningEvent] = []
        for id in stationOrder {
            guard let plan = plans[id] else { continue }
            let stationLevel = slots[SensorKey(station: id, sensor: .level)].flatMap { states[$0] }?.snapshot.spike
                .lastAccepted?.value
            for sensor in plan.station.sensors {
                guard let slot = slots[SensorKey(station: id, sensor: sensor.kind)], states[slot] != nil else {
                    continue
                }
                remember(slot)
                guard
                    let event = SilentRule.check(
                        now: now, plan: plan, sensor: sensor, snapshot: &states[slot]!.snapshot,
                        stationLevel: stationLevel)
                else { continue }
                changed.insert(slot)
                events.append(event)
            }
        }
        return events
    }

    // MARK: Changes

    /// Starts remembering what evaluation changes, for `undoChanges()`.
    public mutating func beginChanges() {
        journal = ([:], changed)
    }

    /// Keeps the changes since `beginChanges()`.
    public mutating func keepChanges() {
        journal = nil
    }

    /// Puts back every sensor's state, and the change set, as they were at `beginChanges()`.
    public mutating func undoChanges() {
        guard let journal else { return }
        for (slot, state) in journal.states {
            states[slot] = state
        }
        changed = journal.changed
        self.journal = nil
    }

    /// Notes a sensor's state before it changes, once per `beginChanges()`.
    private mutating func remember(_ slot: Int) {
        guard journal != nil, journal?.states.index(forKey: slot) == nil else { return }
        journal?.states[slot] = .some(states[slot])
    }

    // MARK: State

    /// State to persist for sensors changed since the last call (then forgets the change set).
    public mutating func takeChangedSnapshots() -> [SensorKey: SensorSnapshot] {
        var snapshots: [SensorKey: SensorSnapshot] = [:]
        snapshots.reserveCapacity(changed.count)
        for slot in changed {
            if let state = states[slot] { snapshots[state.key] = state.snapshot }
        }
        changed.removeAll()
        return snapshots
    }

    /// The open warnings: (key, rule) → level, for tests and the API; in catalogue order, then by sensor and rule.
    public var openWarnings: [OpenWarning] {
        // Slot order: the catalogue's, then sensor names.
        states.compactMap { $0 }.flatMap { state in
            WarningRule.allCases.compactMap { rule -> OpenWarning? in
                let key = state.key
                let warning = state.snapshot[rule]
                guard warning.level > 0 else { return nil }
                return OpenWarning(
                    station: key.station, sensor: key.sensor, rule: rule, level: warning.level,
                    since: warning.raisedAt ?? 0)
            }
        }
    }

    /// Readings the engine holds in its windows for a sensor: bounded by the rules' window lengths (at 5-minute
    /// readings, 25 for a level sensor and 288 for rain with the default 24-hour window), whatever the
    /// number of readings evaluated. For tests and monitoring.
    public func bufferedReadings(for key: SensorKey) -> Int {
        slots[key].flatMap { states[$0] }?.buffered ?? 0
    }

    // MARK: One reading

    /// Evaluates one reading of the sensor at `slot` (or, if at or before the watermark, only adds it to the
    /// windows), changing its state in place.
    private mutating func process(_ reading: Reading, slot: Int, arrivedAt: Int64, into evaluation: inout Evaluation) {
        remember(slot)
        let plan = slotPlans[slot]
        if states[slot] == nil { states[slot] = SensorState(plan: plan, sensor: slotSensors[slot]) }
        // One in-place access for the whole reading: reading `states[slot]!` outside an inout access copies the
        // sensor's whole state (its windows retained, several hundred bytes moved). At 10,000 stations, where every
        // reading meets a state no cache holds, the sweep went from 113,500 to 123,400 readings/s without it.
        let needsSnapshot = Self.process(
            reading, plan: plan, arrivedAt: arrivedAt, historyMilliseconds: historyMilliseconds,
            state: &states[slot]!, into: &evaluation)
        if needsSnapshot { changed.insert(slot) }
    }

    /// `process` of one reading, and whether the sensor's snapshot must then be written (`needsSnapshot`).
    private static func process(
        _ reading: Reading, plan: StationPlan, arrivedAt: Int64, historyMilliseconds: Int64,
        state: inout SensorState, into evaluation: inout Evaluation
    ) -> Bool {
        let before = state.snapshot
        process(reading, plan: plan, arrivedAt: arrivedAt, state: &state, into: &evaluation)
        return state.needsSnapshot(after: before, for: reading, historyMilliseconds: historyMilliseconds)
    }

    private static func process(
        _ reading: Reading, plan: StationPlan, arrivedAt: Int64, state: inout SensorState,
        into evaluation: inout Evaluation
    ) {
        let sensor = state.sensor

        if let watermark = state.snapshot.watermark, reading.timestamp <= watermark {
            state.addPast(reading, plan: plan, suspect: &evaluation.suspect)
            return
        }
        state.snapshot.watermark = reading.timestamp
        state.snapshot.lastValue = reading.value
        let late = state.isLate(reading.timestamp, arrivedAt: arrivedAt)
        switch sensor.kind {
        case .level:
            state.history.removeAll(before: reading.timestamp - plan.levelHistoryMilliseconds)
            guard reading.quality == .good else { return }
            let point = TimedValue(time: reading.timestamp, value: reading.value)
            guard state.snapshot.spike.judge(point, metresPerMinute: plan.rules.level.spikeMetresPerMinute) == .accepted
            else {
                evaluation.suspect.append(reading)
                return
            }
            state.newestGood = point
            state.history.insert(point)
            // In rule order; the forecast looks at the level warning as this reading left it.
            if let event = LevelRule.evaluate(point, late: late, plan: plan, state: &state) {
                evaluation.events.append(event)
            }
            if let event = RiseRule.evaluate(point, late: late, plan: plan, state: &state) {
                evaluation.events.append(event)
            }
            if let event = ForecastRule.evaluate(point, late: late, plan: plan, state: &state) {
                evaluation.events.append(event)
            }
            if let event = PoolRule.evaluate(point, late: late, plan: plan, state: &state) {
                evaluation.events.append(event)
            }
            if let event = CrestRule.evaluate(point, late: late, plan: plan, state: &state) {
                evaluation.events.append(event)
            }
        case .rain:
            // Suspect rain still counts: a missed rain warning costs more than a doubtful one. Bad rain does not.
            state.rain?.advance(to: reading.timestamp)
            state.landslide?.advance(to: reading.timestamp)
            guard reading.quality != .bad else { return }
            let amount = RollingSum.units(reading.value)
            // Into both sums first: a rain message states Article 46's level from the landslide sums, this reading
            // included, as the landslide warning of the same reading does.
            state.rain?.add(amount, at: reading.timestamp)
            state.landslide?.add(amount, at: reading.timestamp)
            if state.rain != nil,
                let event = RainRule.evaluate(at: reading.timestamp, late: late, plan: plan, state: &state)
            {
                evaluation.events.append(event)
            }
            if state.landslide != nil,
                let event = LandslideRule.evaluate(at: reading.timestamp, late: late, plan: plan, state: &state)
            {
                evaluation.events.append(event)
            }
        case .outflow:
            state.history.removeAll(before: reading.timestamp - Int64(plan.rules.release.stepWindowSeconds) * 1000)
            guard reading.quality == .good else { return }
            let point = TimedValue(time: reading.timestamp, value: reading.value)
            // The step is judged against the readings before this one; then this one joins them.
            let event = ReleaseRule.evaluate(point, late: late, plan: plan, state: &state)
            state.history.insert(point)
            if let event { evaluation.events.append(event) }
        case .inflow:
            // Stored and shown; no rule of its own.
            break
        }
    }

    /// Orders events by time, then rule, keeping the order of generation (catalogue order) among equals.
    private static func chronological(_ events: [WarningEvent]) -> [WarningEvent] {
        events.enumerated().sorted {
            ($0.element.timestamp, $0.element.rule.order, $0.offset) < (
                $1.element.timestamp, $1.element.rule.order, $1.offset
            )
        }.map(\.element)
    }
}

extension SensorState {
    /// A reading at or before the watermark: into the windows, no evaluation. A late level reading that jumps away
    /// from both its neighbours in the window is suspect, as a spike would be.
    mutating func addPast(_ reading: Reading, plan: StationPlan, suspect: inout [Reading]) {
        guard let watermark = snapshot.watermark else { return }
        switch sensor.kind {
        case .level:
            guard reading.quality == .good, reading.timestamp >= watermark - plan.levelHistoryMilliseconds else {
                return
            }
            let point = TimedValue(time: reading.timestamp, value: reading.value)
            let rate = plan.rules.level.spikeMetresPerMinute
            let (before, after) = history.neighbours(of: point.time)
            let fits =
                (before == nil && after == nil)
                || before.map { SpikeFilter.consistent(point, $0, rate) } == true
                || after.map { SpikeFilter.consistent(point, $0, rate) } == true
            if fits {
                history.insert(point)
                if newestGood.map({ point.time > $0.time }) ?? true { newestGood = point }
            } else {
                suspect.append(reading)
            }
        case .rain:
            guard reading.quality != .bad else { return }
            rain?.add(RollingSum.units(reading.value), at: reading.timestamp)
            landslide?.add(RollingSum.units(reading.value), at: reading.timestamp)
        case .outflow:
            guard reading.quality == .good else { return }
            history.insert(TimedValue(time: reading.timestamp, value: reading.value))
        case .inflow:
            break
        }
    }

    /// Whether the reading just processed changed what must be written to `engine_state`: what a restart could
    /// not rebuild from the stored readings (`rebuild(from:arrival:plan:)`) as it now stands.
    mutating func needsSnapshot(after before: SensorSnapshot, for reading: Reading, historyMilliseconds: Int64) -> Bool
    {
        if snapshot.differsDurably(from: before) { return true }
        // A restart takes the newest good level as the last accepted one; a late reading, or a pending spike
        // followed by readings of other quality, can make them differ.
        if sensor.kind == .level && snapshot.spike.lastAccepted != newestGood { return true }
        // A reading older than any window a restart reads: its arrival, the silent-gauge timer, would be lost.
        return snapshot.watermark.map { reading.timestamp < $0 - historyMilliseconds } ?? false
    }

    /// Refills the windows from stored readings (time order) after a restart, and brings the snapshot up to the
    /// newest of them. `arrival`: their latest `received_at`.
    mutating func rebuild(from readings: [Reading], arrival: Int64?, plan: StationPlan) {
        guard let newest = readings.last else { return }
        let good = readings.last(where: { $0.quality == .good }).map { TimedValue(time: $0.timestamp, value: $0.value) }
        if sensor.kind == .level { newestGood = good }
        if snapshot.watermark.map({ newest.timestamp > $0 }) ?? true {
            snapshot.watermark = newest.timestamp
            snapshot.lastValue = newest.value
            if sensor.kind == .level, let good { snapshot.spike.lastAccepted = good }
        }
        if let arrival {
            snapshot.lastArrival = max(snapshot.lastArrival ?? arrival, arrival)
        } else if snapshot.lastArrival == nil {
            snapshot.lastArrival = newest.timestamp
        }
        guard let watermark = snapshot.watermark else { return }
        switch sensor.kind {
        case .level:
            let start = watermark - plan.levelHistoryMilliseconds
            for reading in readings
            where reading.quality == .good && reading.timestamp >= start && reading.timestamp <= watermark
                && reading.timestamp != snapshot.spike.candidate?.time
            {
                history.insert(TimedValue(time: reading.timestamp, value: reading.value))
            }
        case .rain:
            rain?.advance(to: watermark)
            landslide?.advance(to: watermark)
            for reading in readings where reading.quality != .bad && reading.timestamp <= watermark {
                rain?.add(RollingSum.units(reading.value), at: reading.timestamp)
                landslide?.add(RollingSum.units(reading.value), at: reading.timestamp)
            }
        case .outflow:
            let start = watermark - Int64(plan.rules.release.stepWindowSeconds) * 1000
            for reading in readings
            where reading.quality == .good && reading.timestamp >= start && reading.timestamp <= watermark {
                history.insert(TimedValue(time: reading.timestamp, value: reading.value))
            }
        case .inflow:
            break
        }
    }
}

import Logging
import ServiceLifecycle
import Storage
import Synchronization

/// Takes, keeps and gives up the leases of one FloodWatch instance, and runs the work of each lease only while it
/// holds it: its share of the slots (each a persistent MQTT session and its ingest path), and whatever single
/// duties are free (the alert dispatcher; the keeper of unknown stations' readings).
///
/// Every `LeaseTerms.renewEvery` it:
/// 1. renews its `instance-<id>` lease, by which the instances count each other;
/// 2. renews each lease it holds. One that the store refuses (taken over, expired) has its work stopped at once.
///    One it cannot renew (the database away) has its work stopped `LeaseTerms.margin` before the lease would
///    expire, by this instance's clock from the start of its last renewal: the work ends before another instance
///    can take the lease, and a write that still slips through is refused by its fence;
/// 3. takes free or expired slots up to its fair share (`fairShare`: the slots divided among the live instances),
///    and gives up those above it (the highest-numbered first): their work drains (what it read is committed and
///    acknowledged), then the lease is released, for the instance that joined to take at once;
/// 4. takes each single duty nobody holds.
///
/// On graceful shutdown every work is stopped and drained and every lease released, so that the other instances
/// take over at their next look rather than after the leases expire.
public final class LeaseSupervisor: Service, Sendable {
    /// Work to run under a lease: started once the lease is taken, stopped when it is lost or given up.
    public struct Work: Sendable {
        /// Runs until `stop`, or until the work ends by itself (a write refused because the lease was lost).
        public let run: @Sendable () async throws -> Void
        /// Asks the work to end soon; `run` then returns.
        public let stop: @Sendable () -> Void

        public init(run: @escaping @Sendable () async throws -> Void, stop: @escaping @Sendable () -> Void) {
            self.run = run
            self.stop = stop
        }
    }

    /// A kind of lease and how to start its work.
    public struct Duty: Sendable {
        /// The lease's name: `slot-3`, `alerts`, `rejects`.
        public let name: String
        /// The work of a lease just taken, and how long the lease may be acted on (renewals push it on).
        public let start: @Sendable (Lease, LeaseValidity) -> Work

        public init(name: String, start: @escaping @Sendable (Lease, LeaseValidity) -> Work) {
            self.name = name
            self.start = start
        }
    }

    private let store: any LeaseStore
    private let instance: InstanceID
    private let terms: LeaseTerms
    private let slots: [Duty]
    private let singles: [Duty]
    private let status: LeaseStatus
    private let logger: Logger

    /// - Parameters:
    ///   - slots: one duty per slot, `slot-0` to `slot-(S-1)`, shared fairly among the live instances.
    ///   - singles: duties one instance holds, whichever takes them first.
    ///   - status: where each look at the leases leaves whether it could reach them, for `/readyz`.
    public init(
        store: any LeaseStore, instance: InstanceID, terms: LeaseTerms, slots: [Duty], singles: [Duty],
        status: LeaseStatus = LeaseStatus(), logger: Logger
    ) {
        self.store = store
        self.instance = instance
        self.terms = terms
        self.slots = slots
        self.singles = singles
        self.status = status
        self.logger = logger
    }

    /// The names of the instances' own leases begin so.
    static let instancePrefix = "instance-"

    /// How many of `slots` the instance `me` should hold among the `live` instances (their ids): ⌊slots ÷ live⌋,
    /// and one more for the first `slots mod live` of them in the order of their ids, so that the shares add up to
    /// `slots` and an instance that joins is given some (with rounding up, 4 slots held 2 and 2 would leave a third
    /// instance none). An instance that does not see itself among the live (its own lease not yet taken) counts
    /// itself in last.
    static func fairShare(slots: Int, live: [String], me: String) -> Int {
        var live = live.sorted()
        if !live.contains(me) { live.append(me) }
        let rank = live.firstIndex(of: me) ?? live.count - 1
        return slots / live.count + (rank < slots % live.count ? 1 : 0)
    }

    public func run() async throws {
        logger.info(
            "Sharing the work with the other instances by leases",
            metadata: [
                "instance": "\(instance)", "slots": "\(slots.count)", "lease_s": "\(terms.duration.components.seconds)",
            ])
        var state = State()
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await tick(&state)
            await Self.sleep(terms.renewEvery)
        }
        await leave(&state)
    }

    /// Sleeps for `duration`, or until a graceful shutdown begins.
    private static func sleep(_ duration: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: duration) }
            group.addTask { try? await gracefulShutdown() }
            await group.next()
            group.cancelAll()
        }
    }

    /// What this instance holds now.
    private struct State {
        var own: Lease?
        var held: [String: Held] = [:]
        /// Work being stopped, by lease name: a lost lease's, or one given up (released once its work drained). Its
        /// duty is not taken again before that: two ingest paths of one slot would share its MQTT client id.
        var stopping: [String: Stopping] = [:]
    }

    /// Work being stopped, and whether it has ended (and its lease been released, for one given up).
    private struct Stopping {
        let task: Task<Void, Never>
        let done: EndFlag
    }

    /// A lease held, its work and how long it is safe to go on.
    private struct Held {
        var lease: Lease
        let work: Work
        let task: Task<Void, Never>
        /// The work must have stopped by its deadline if the lease could not be renewed.
        let validity: LeaseValidity
        /// Set by the work's task when `run` returned.
        let ended: EndFlag
    }

    private func tick(_ state: inout State) async {
        state.stopping = state.stopping.filter { !$0.value.done.isSet }
        let announced = await announce(&state)
        // Whatever the announcement found, held leases are renewed or their work stopped in time.
        await renewHeld(&state)
        let holders: [LeaseHolder]
        do {
            holders = try await store.leaseHolders()
        } catch {
            status.record(error)
            return
        }
        status.record(announced)
        let live = holders.filter {
            $0.name.hasPrefix(Self.instancePrefix) && $0.owner != nil && $0.remainingMilliseconds > 0
        }.map { String($0.name.dropFirst(Self.instancePrefix.count)) }
        let share = Self.fairShare(slots: slots.count, live: live, me: "\(instance)")
        let byName = Dictionary(holders.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        func free(_ name: String) -> Bool {
            guard let holder = byName[name] else { return true }
            return holder.owner == nil || holder.remainingMilliseconds <= 0
        }
        func takeable(_ duty: Duty) -> Bool {
            state.held[duty.name] == nil && state.stopping[duty.name] == nil && free(duty.name)
        }
        for duty in singles where takeable(duty) {
            await take(duty, &state)
        }
        let heldSlots = slots.filter { state.held[$0.name] != nil }
        if heldSlots.count > share {
            for duty in heldSlots.suffix(heldSlots.count - share).reversed() {
                giveUp(
                    duty.name, &state, reason: "this instance's share is \(share) of \(slots.count) for \(live.count)")
            }
        } else {
            var wanted = share - heldSlots.count
            for duty in slots where wanted > 0 && takeable(duty) {
                if await take(duty, &state) { wanted -= 1 }
            }
        }
    }

    /// Renews (or takes) this instance's own lease, by which the others count it.
    /// - Returns: the error that kept it from doing so, if any.
    private func announce(_ state: inout State) async -> (any Error)? {
        do {
            if let own = state.own, try await store.renew(own, for: terms.duration) { return nil }
            state.own = try await store.acquire(
                Self.instancePrefix + "\(instance)", owner: "\(instance)", for: terms.duration)
            return nil
        } catch {
            return error
        }
    }

    private func renewHeld(_ state: inout State) async {
        for name in Array(state.held.keys).sorted() {
            guard let held = state.held[name] else { continue }
            if held.ended.isSet {
                // The work stopped by itself: a write was refused, the lease is gone.
                logger.warning("Work ended by itself; its lease is given up", metadata: ["lease": "\(held.lease)"])
                state.held[name] = nil
                try? await store.release(held.lease)
                continue
            }
            let started = ContinuousClock.now
            do {
                if try await store.renew(held.lease, for: terms.duration) {
                    held.validity.extend(to: started + terms.duration - terms.margin)
                } else {
                    logger.warning(
                        "Lease lost (taken over or expired); stopping its work", metadata: ["lease": "\(held.lease)"])
                    stop(name, &state, releasing: false)
                }
            } catch {
                if !held.validity.isValid {
                    logger.error(
                        "Cannot renew a lease; stopping its work before the lease can expire",
                        metadata: ["lease": "\(held.lease)", "error": "\(error)"])
                    stop(name, &state, releasing: false)
                } else {
                    logger.warning(
                        "Cannot renew a lease; trying again", metadata: ["lease": "\(held.lease)", "error": "\(error)"])
                }
            }
        }
    }

    /// Takes `duty`'s lease if it is free and starts its work; true when taken.
    @discardableResult
    private func take(_ duty: Duty, _ state: inout State) async -> Bool {
        let started = ContinuousClock.now
        guard let lease = try? await store.acquire(duty.name, owner: "\(instance)", for: terms.duration) else {
            return false
        }
        let validity = LeaseValidity(until: started + terms.duration - terms.margin)
        let work = duty.start(lease, validity)
        let ended = EndFlag()
        let logger = logger
        let task = Task {
            do {
                try await work.run()
            } catch {
                logger.error("Work under a lease failed", metadata: ["lease": "\(lease)", "error": "\(error)"])
            }
            ended.set()
        }
        state.held[duty.name] = Held(lease: lease, work: work, task: task, validity: validity, ended: ended)
        logger.info("Lease taken; its work starts", metadata: ["lease": "\(lease)"])
        return true
    }

    /// Stops the work of `name` without waiting for it to end: a drain must not hold up the renewals of the other
    /// leases. When `releasing`, the lease is released once the work ended (drained: what it read committed and
    /// acknowledged), for another instance to take at once; otherwise it is no longer this instance's to release.
    private func stop(_ name: String, _ state: inout State, releasing: Bool) {
        guard let held = state.held.removeValue(forKey: name) else { return }
        held.work.stop()
        // And cancelled, for work that ends on cancellation (a schedule's sleep).
        held.task.cancel()
        let done = EndFlag()
        let store = store
        let task = Task {
            await held.task.value
            if releasing { try? await store.release(held.lease) }
            done.set()
        }
        state.stopping[name] = Stopping(task: task, done: done)
    }

    /// Drains the work of `name`, then releases its lease (`stop`).
    private func giveUp(_ name: String, _ state: inout State, reason: String) {
        guard let held = state.held[name] else { return }
        logger.info(
            "Giving a lease up; its work drains first", metadata: ["lease": "\(held.lease)", "why": "\(reason)"])
        stop(name, &state, releasing: true)
    }

    /// Stops and drains every work, releases every lease, and waits for all of it; this instance's own lease last.
    private func leave(_ state: inout State) async {
        for name in Array(state.held.keys).sorted() {
            giveUp(name, &state, reason: "this instance stops")
        }
        for stopping in state.stopping.values { await stopping.task.value }
        if let own = state.own { try? await store.release(own) }
        logger.info("Every lease given up")
    }
}

/// Set once, read from anywhere.
private final class EndFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}

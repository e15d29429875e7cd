import ArgumentParser
import Catalogue
import Foundation
import Gauges

/// `gauge-simulator`: publishes over MQTT like the river and rain gauges of the Vu Gia – Thu Bồn basin, so that
/// FloodWatch can be run, demonstrated and tested without the field network.
///
/// Three modes: live (default), accelerated history (`--accelerated`) and replay of a recorded flood
/// (`--replay`). This type only reads options, connects and hands over to `LiveRun`, `AcceleratedRun` or
/// `ReplayRun`; the storm model and the gauges' behaviour are plain value types beside it.
@main
struct GaugeSimulatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gauge-simulator",
        abstract:
            "Publish simulated river-gauge readings over MQTT, as the gauges of the Vu Gia – Thu Bồn basin do.",
        discussion: """
            MODES
              live (default)  Every station of the catalogue reports each sensor every
                              --interval seconds, stamped with the wall clock. The
                              readings follow a simulated storm (--storm) that runs
                              --speed times faster than real time (at 60, the 48-hour
                              typhoon in 48 minutes), then repeats. Rain is reported at
                              the storm's real intensity per wall-clock time, so rain
                              totals per hour of timestamps stay realistic. Runs until
                              Ctrl-C, SIGTERM or --duration.
              --accelerated   Publishes the simulated readings of a past period
                              (--from, then --count or --until, default until now), one
                              report every --step seconds of simulated time, as fast as
                              the broker takes them. The storm starts at --from and
                              runs on the simulated clock. Waits for every
                              acknowledgement, then exits.
              --replay FILE   Publishes the lines "station,sensor,ts,value" of a CSV
                              file in file order (header line optional, '#' lines are
                              comments, ts RFC 3339 with offset or Unix seconds), then
                              waits for every acknowledgement and exits. A bad line
                              stops it, with file and line, before anything is sent.

            STORMS (--storm)
              typhoon         (default) 48 hours: an outer rain band, the core, trailing
                              rain. Its strength is drawn from the seed: in their
                              wettest 24 h Trà My town gets 230-300 mm, Trà Dương
                              283-370, Trà Kót 326-425, the range of the district's
                              storms of 2020-2023 (Trà My 301 mm on 5-6 Nov 2020,
                              229.8 mm on 15 Nov 2023). The rest of the basin gets
                              less, down to half of Trà My's at the river mouth.
              district-2022   Bắc Trà My, late Nov - early Dec 2022, 120 hours: three
                              days of rain (at Trà My about 15, then 20-30, then 30-40
                              mm a day), then the peak day with the 24-hour totals the
                              bulletins gave to 3 Dec 2022: Trà My town 313.3 mm,
                              Trà Dương 386.2 mm, Trà Kót 444 mm; then showers and a
                              dry half day. The days before and the other gauges
                              (Trà Bui 313, Trà Đốc 298, Trà Giác 266 mm) are
                              plausible, not recorded. The days of rain before the
                              peak count for the landslide rule (Decision 18/2021,
                              art. 46). With --accelerated --from
                              2022-11-29T07:00:00+07:00 the wettest 24 hours end near
                              3 Dec 07:00 (storm hour 96).
              Each gauge's wettest 24 hours are exactly its share of the storm;
              the seed moves the bands and the bursts of rain, not those totals.

            WHAT IS PUBLISHED
              Topic gauges/<station>/<sensor>, payload
                {"ts":"2022-10-11T05:00:00+07:00","value":4.02,"seq":17}
              level: metres above the station datum, 3 decimals; rain: mm since the
              previous report, in 0.1 mm tips, never negative. ts is Vietnam local
              time and never ahead of the wall clock; seq counts from 1 per station
              and sensor. Levels rest below the lowest official alarm level and
              peak, per station, between about BĐ I and 0.3 m above BĐ III, upstream
              hours before the river mouth. Rain is heaviest in Bắc Trà My, at
              Trà Kót, a few tens of mm per hour at the peak.

            RESERVOIRS (kind: reservoir, e.g. song-tranh-2)
              level (m above sea level, to the cm), inflow and outflow (whole m3/s),
              once per catalogue interval (1h) of storm time, at its whole hours,
              and at the first report of a run. Inflow: about 100 m3/s of base flow plus
              the rain of the gauges on the reservoir's river, run off a catchment
              of about 1,100 km2 (runoff coefficient 0.7): a few thousand m3/s at a
              storm's peak (the record is 8,775 m3/s, 6 Nov 2020). Outflow: the
              turbines' 106 m3/s, plus the spillway, set each hour to bring the
              level to 2 m below the normal level (+173 m at Sông Tranh 2) within
              the hour, never above the flood's greatest inflow so far: it opens
              as the level nears +173 m and then holds it there, as the operator
              did on 21 Nov 2022. The level starts 2.7 m below normal (172.3 m)
              and changes with inflow - outflow over a surface of about 20 km2; in
              the storm's last 12 hours it is drawn back down. Catchment, runoff
              and surface are estimates, not calibrated. Each run prints the peak
              inflow and outflow and the highest level before it starts.

            GAUGE BEHAVIOURS (live and accelerated; --clean turns all of them off)
              - Link loss (--link-loss-rate, per station and interval): the station
                is silent for 3 to 12 intervals, then uploads the readings it kept
                as one backlog, a JSON array per sensor.
              - Duplicates (--duplicate-rate): a message published twice, as a gauge
                retrying.
              - SenML (--senml-share of the stations with more than one sensor):
                all its readings in one pack on gauges/<station>, e.g.
                [{"bn":"cau-lau/","bt":1665439200,"n":"level","u":"m","v":4.02},
                 {"n":"rain","u":"mm","v":12.5}]   (SenML has no place for seq).
              - Bad messages (--bad-rate): a broken message before a good one:
                truncated JSON, negative rain, the unknown topic
                gauges/<station>/temperature, a value far outside the physical
                range, or no ts. FloodWatch must reject it and store the good one.
              Link losses, restored links and bad messages are printed as they
              happen; a summary (published, acknowledged by the broker) every 30 s.

            EXIT STATUS
              0  done, or stopped by SIGINT/SIGTERM (after waiting up to 5 s for
                 the broker's acknowledgements)
              1  broker unreachable at start, bad catalogue, bad replay line, or
                 messages left unacknowledged at the end of accelerated or replay
              64 bad options

            EXAMPLES
              gauge-simulator --broker 127.0.0.1:1883
              gauge-simulator --seed 7 --speed 120 --duration 600
              gauge-simulator --storm district-2022 --accelerated \\
                  --from 2022-11-29T07:00:00+07:00 --count 120 --step 3600
              gauge-simulator --accelerated --from 2020-10-27T00:00:00+07:00 \\
                  --until 2020-10-29T00:00:00+07:00
              gauge-simulator --replay sensors/floods/molave-2020-10-28.csv --rate 2
            """
    )

    // MARK: Common

    @Option(help: ArgumentHelp("MQTT broker.", valueName: "host:port"))
    var broker = BrokerAddress(host: "127.0.0.1", port: 1883)

    @Option(
        help: ArgumentHelp("MQTT client id, with a clean session (default: gauge-simulator-<pid>).", valueName: "id"))
    var clientID: String?

    @Option(help: "MQTT quality of service, 0, 1 or 2. FloodWatch expects 1: QoS 0 readings are lost while it is away.")
    var qos = 1

    @Option(help: ArgumentHelp("Station catalogue (YAML). Not read in replay mode.", valueName: "path"))
    var stations = "sensors/stations.yaml"

    @Option(
        help: ArgumentHelp(
            "Seed of the storm and the gauge behaviours; the same seed gives the same readings "
                + "(default: random, printed).",
            valueName: "n"))
    var seed: UInt64?

    // MARK: Live

    @Option(help: ArgumentHelp("Live: seconds of wall time between two reports of every sensor.", valueName: "seconds"))
    var interval = 5.0

    @Option(
        help: ArgumentHelp(
            "Live: how many times faster than real time the storm runs (60: one real second is one storm minute).",
            valueName: "factor"))
    var speed = 60.0

    @Option(
        help: ArgumentHelp("Live: stop after this many seconds (default: run until stopped).", valueName: "seconds"))
    var duration: Double?

    @Option(
        help: ArgumentHelp(
            "The storm to play: "
                + StormKind.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; ")
                + ". Live and accelerated.",
            valueName: "name"))
    var storm = StormKind.typhoon

    @Option(
        help: ArgumentHelp(
            "Storm hour to start at (0 to the storm's length: 48 for typhoon, 120 for district-2022), "
                + "e.g. 14 to begin in the typhoon's heaviest rain. Live and accelerated.",
            valueName: "hours"))
    var stormHour = 0.0

    // MARK: Behaviours

    @Flag(help: "Perfect gauges: no link losses, duplicates, SenML or bad messages; one form-a message per reading.")
    var clean = false

    @Option(help: ArgumentHelp("Chance per station and interval that its link goes down.", valueName: "p"))
    var linkLossRate = GaugeBehaviour().linkLossRate

    @Option(help: ArgumentHelp("Chance that a message is published twice.", valueName: "p"))
    var duplicateRate = GaugeBehaviour().duplicateRate

    @Option(help: ArgumentHelp("Chance that a message is preceded by a broken one (0.005: 1 in 200).", valueName: "p"))
    var badRate = GaugeBehaviour().badRate

    @Option(
        name: .customLong("senml-share"),
        help: ArgumentHelp(
            "Share of the stations with several sensors that report as SenML (at least one when above 0).",
            valueName: "p"))
    var senMLShare = GaugeBehaviour().senMLShare

    // MARK: Accelerated

    @Flag(help: "Publish a past period as fast as the broker takes it (needs --from), then exit.")
    var accelerated = false

    @Option(
        help: ArgumentHelp(
            "Accelerated: time of the first report, RFC 3339 with offset (2020-10-27T00:00:00+07:00) or Unix seconds.",
            valueName: "time"),
        transform: TimeArgument.parse)
    var from: TimeArgument?

    @Option(
        help: ArgumentHelp("Accelerated: time after which no report is made (default: now).", valueName: "time"),
        transform: TimeArgument.parse)
    var until: TimeArgument?

    @Option(help: ArgumentHelp("Accelerated: number of reports of every sensor, instead of --until.", valueName: "n"))
    var count: Int?

    @Option(help: ArgumentHelp("Accelerated: seconds of simulated time between two reports.", valueName: "seconds"))
    var step = 300.0

    // MARK: Replay

    @Option(
        help: ArgumentHelp(
            "Replay the readings of a CSV file (station,sensor,ts,value), then exit.", valueName: "file.csv"))
    var replay: String?

    @Option(
        help: ArgumentHelp("Replay: messages per second (default: as fast as the broker takes them).", valueName: "n"))
    var rate: Double?

    mutating func validate() throws {
        guard (0...2).contains(qos) else { throw ValidationError("--qos must be 0, 1 or 2") }
        guard interval > 0, interval.isFinite else { throw ValidationError("--interval must be above 0 seconds") }
        guard speed > 0, speed.isFinite else { throw ValidationError("--speed must be above 0") }
        guard step > 0, step.isFinite else { throw ValidationError("--step must be above 0 seconds") }
        guard stormHour.isFinite else { throw ValidationError("--storm-hour must be a number of hours") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be above 0 seconds") }
        if let rate, !(rate > 0 && rate.isFinite) { throw ValidationError("--rate must be above 0") }
        if let count, count <= 0 { throw ValidationError("--count must be at least 1") }
        for (name, value) in [
            ("--link-loss-rate", linkLossRate), ("--duplicate-rate", duplicateRate), ("--bad-rate", badRate),
            ("--senml-share", senMLShare),
        ] where !(0...1).contains(value) {
            throw ValidationError("\(name) must be between 0 and 1")
        }
        if accelerated && replay != nil { throw ValidationError("choose one of --accelerated and --replay") }
        if accelerated {
            guard let from else { throw ValidationError("--accelerated needs --from <time>") }
            if count != nil && until != nil { throw ValidationError("give --count or --until, not both") }
            let now = WallClock.system()
            let future = "is in the future; readings are never stamped ahead of the clock"
            if from.milliseconds > now { throw ValidationError("--from \(future)") }
            if let until, until.milliseconds > now { throw ValidationError("--until \(future)") }
            if let until, until.milliseconds < from.milliseconds { throw ValidationError("--until is before --from") }
        } else if from != nil || until != nil || count != nil {
            throw ValidationError("--from, --until and --count are for --accelerated")
        }
        if rate != nil && replay == nil { throw ValidationError("--rate is for --replay") }
        if duration != nil && (accelerated || replay != nil) { throw ValidationError("--duration is for live mode") }
    }

    func run() throws {
        StopSignal.install()
        let clientID = clientID ?? "gauge-simulator-\(getpid())"

        // Replay needs no catalogue: check the file first, so a bad line fails before any connection.
        if let replay {
            let file: CSVReplay
            do {
                file = try CSVReplay.load(path: replay, now: WallClock.system())
            } catch {
                Log.error(error.description)
                throw ExitCode.failure
            }
            let session = try connect(clientID: clientID)
            Log.event(
                "replaying \(file.rows.count) readings of \(replay) to \(broker)"
                    + (rate.map { " at \(PayloadWriter.number($0, decimals: 3)) per second" } ?? ""))
            let published = ReplayRun(replay: file, rate: rate).run(session: session)
            try finish(session, what: "replayed \(published) of \(file.rows.count) readings")
            return
        }

        let catalogue: StationCatalogue
        do {
            catalogue = try CatalogueLoader.load(path: stations)
        } catch {
            Log.error("cannot load the station catalogue: \(error)")
            throw ExitCode.failure
        }
        let seed = seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
        let behaviour =
            clean
            ? GaugeBehaviour.clean
            : GaugeBehaviour(
                linkLossRate: linkLossRate, duplicateRate: duplicateRate, badRate: badRate, senMLShare: senMLShare)
        let simulation = BasinSimulation(stations: catalogue.stations, seed: seed, storm: storm)
        let fleet = GaugeFleet(stations: catalogue.stations, behaviour: behaviour, seed: seed)
        let session = try connect(clientID: clientID)

        let sensors = catalogue.stations.reduce(0) { $0 + $1.sensors.count }
        let mode =
            accelerated
            ? "accelerated, a report every \(PayloadWriter.number(step, decimals: 3)) s of simulated time"
            : "live, a report every \(PayloadWriter.number(interval, decimals: 3)) s, "
                + "storm at \(PayloadWriter.number(speed, decimals: 3))× real time"
        Log.event(
            "\(catalogue.stations.count) stations (\(sensors) sensors) from \(stations) to \(broker) "
                + "as \(clientID); \(mode)"
        )
        Log.event(
            "storm \(storm.rawValue), \(Int(storm.cycleHours)) h; seed \(seed) (repeat this storm with --seed \(seed)); "
                + "\(SimulationReport.millimetres(simulation.storm.wettest24Hours)) mm in the wettest 24 h "
                + "at rain factor 1 (Trà My)")
        for line in SimulationReport.envelopes(simulation, stations: catalogue.stations) { Log.event(line) }
        // A report spanning hours of storm sums hours of rain: it may pass the catalogue's range and be rejected.
        // (Live mode reports rain in wall-clock time, so only the wall interval counts there.)
        let stormHoursPerReport = accelerated ? step / 3600 : interval / 3600
        if stormHoursPerReport > 1 {
            Log.event(
                "note: each report spans \(SimulationReport.metres(stormHoursPerReport)) storm hours; rain per report "
                    + "may exceed the catalogue's range and be rejected (lower --interval, --speed or --step)")
        }
        Log.event(
            behaviour.isClean
                ? "gauge behaviours off (--clean)"
                : "gauge behaviours: link loss \(behaviour.linkLossRate)/interval, "
                    + "duplicates \(behaviour.duplicateRate), "
                    + "bad messages \(behaviour.badRate); SenML stations: "
                    + (fleet.senMLStations.isEmpty ? "none" : fleet.senMLStations.sorted().joined(separator: ", ")))

        if accelerated, let from {
            var run = AcceleratedRun(
                simulation: simulation, fleet: fleet, stations: catalogue.stations, from: from.milliseconds,
                until: count == nil ? (until?.milliseconds ?? WallClock.system()) : nil, count: count,
                stepSeconds: step, stormStartHours: stormHour)
            let steps = run.run(session: session)
            try finish(session, what: "published \(steps) reporting steps")
        } else {
            var run = LiveRun(
                simulation: simulation, fleet: fleet, stations: catalogue.stations, intervalSeconds: interval,
                speed: speed, stormStartHours: stormHour, durationSeconds: duration)
            run.run(session: session)
            try finish(session, what: "live run over")
        }
    }

    private func connect(clientID: String) throws -> BrokerSession {
        do {
            return try BrokerSession(address: broker, clientID: clientID, qos: qos)
        } catch {
            Log.error(error.description)
            throw ExitCode.failure
        }
    }

    /// Waits for the broker's acknowledgements and disconnects. A stop request waits only briefly and still
    /// exits 0; a normal end of accelerated or replay mode fails if the broker did not take everything.
    private func finish(_ session: BrokerSession, what: String) throws {
        let stopped = StopSignal.requested
        let complete = session.finish(timeoutSeconds: stopped || !(accelerated || replay != nil) ? 5 : 60)
        Log.event("\(stopped ? "stopped by signal; " : "")\(what); \(session.counts)")
        if !complete {
            Log.error("\(session.unacknowledged) message(s) were not acknowledged by the broker at \(broker)")
            if !stopped && (accelerated || replay != nil) { throw ExitCode.failure }
        }
    }
}

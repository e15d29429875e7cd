import ArgumentParser
import Catalogue
import Foundation
import Gauges
import Warnings

/// The warning engine's cost per reading as a station's history grows: the millionth reading should cost what the
/// first did, because every rule keeps only its window, never the whole history.
struct EngineBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Evaluate a long synthetic flood season of one station and print the cost per reading over time."
    )

    @Option(help: ArgumentHelp("Station catalogue.", valueName: "path"))
    var stations = "sensors/stations.yaml"

    @Option(help: ArgumentHelp("Station whose level and rain sensors report.", valueName: "id"))
    var station = "ai-nghia"

    @Option(help: "Readings per sensor.")
    var readings = 1_000_000

    @Option(help: "Readings per evaluation call, as in one ingest batch.")
    var batch = 100

    func run() throws {
        let catalogue = try CatalogueLoader.load(path: stations)
        guard let station = catalogue[station] else {
            throw ValidationError("no station '\(self.station)' in \(stations)")
        }
        let levels = station.alarmLevels.known.map(\.metres)
        let low = (levels.first ?? 1) - 1.5
        let high = (levels.last ?? 3) + 0.5
        let start: Int64 = 1_600_000_000_000
        let step: Int64 = 300_000  // every 5 minutes, as the gauges report
        var engine = WarningEngine(catalogue: catalogue)
        let slices = 10
        let perSlice = max(readings / slices, 1)
        var events = 0
        var timings: [Double] = []
        var index = 0
        for _ in 0..<slices {
            let began = ContinuousClock.now
            var done = 0
            while done < perSlice {
                let count = min(batch, perSlice - done)
                var input: [Reading] = []
                input.reserveCapacity(count * 2)
                for offset in 0..<count {
                    let i = index + offset
                    let ts = start + Int64(i) * step
                    // A flood every ~3.5 days: rising through every alarm level and falling back.
                    let phase = Double(i % 1000) / 1000
                    let level = low + (high - low) * max(0, sin(phase * .pi * 2))
                    input.append(Reading(station: station.id, sensor: .level, timestamp: ts, value: level))
                    if station.sensor(.rain) != nil {
                        let rain = max(0, 8 * sin(phase * .pi * 2 + 0.5))
                        input.append(Reading(station: station.id, sensor: .rain, timestamp: ts, value: rain))
                    }
                }
                events += engine.evaluate(input, arrivedAt: start + Int64(index + count) * step).events.count
                _ = engine.takeChangedSnapshots()
                index += count
                done += count
            }
            let elapsed = ContinuousClock.now - began
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            timings.append(seconds / Double(perSlice) * 1e9)
        }
        print("warning engine, station \(station.id), \(index) readings per sensor, batches of \(batch)")
        for (slice, nanoseconds) in timings.enumerated() {
            print(
                "  readings \(slice * perSlice + 1)…\((slice + 1) * perSlice): "
                    + String(format: "%.0f ns per reading (all sensors)", nanoseconds))
        }
        let ratio = (timings.last ?? 0) / max(timings.first ?? 1, 1e-9)
        print(String(format: "last slice / first slice: %.2f; %d warning events", ratio, events))
    }
}

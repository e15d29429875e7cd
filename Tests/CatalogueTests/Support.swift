import Catalogue
import Foundation
import Gauges
import Testing

enum Fixture {
    /// The package root, found from this file's path: Tests/CatalogueTests/Support.swift → ../../
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    static var bundledCatalogue: String {
        packageRoot.appendingPathComponent("sensors").appendingPathComponent("stations.yaml").path
    }

    /// One valid station; tests change one line of it. Line numbers:
    ///  1 stations:            5 lat            9 rain
    ///  2 - id                 6 lon           10 alarm_levels
    ///  3 name                 7 sensors:      11 record
    ///  4 river                8 level
    static let station = """
        stations:
          - id: cau-lau
            name: Câu Lâu
            river: Thu Bồn
            lat: 15.852
            lon: 108.268
            sensors:
              level: {interval: 5m, range: [-1.0, 9.0]}
              rain: {interval: 5m, range: [0, 150]}
            alarm_levels: {I: 2.00, II: 3.00, III: 4.00}
            record: {level: 5.61, year: 2025}

        """

    /// `station` with `original` replaced by `replacement` (which must occur exactly once).
    static func station(replacing original: String, with replacement: String) -> String {
        precondition(station.components(separatedBy: original).count == 2, "'\(original)' must occur once")
        return station.replacingOccurrences(of: original, with: replacement)
    }
}

/// The problems `CatalogueLoader.parse` reports for `yaml` (file name `test.yaml`); none when it loads.
func problems(in yaml: String) -> [CatalogueError.Problem] {
    do throws(CatalogueError) {
        _ = try CatalogueLoader.parse(yaml: yaml, file: "test.yaml")
        return []
    } catch {
        return error.problems
    }
}

/// The one problem reported for `yaml`; records an issue when there is not exactly one.
func onlyProblem(in yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> CatalogueError.Problem? {
    let found = problems(in: yaml)
    #expect(
        found.count == 1, "expected one problem, got:\n\(YAMLProblem.report(found))", sourceLocation: sourceLocation)
    return found.first
}

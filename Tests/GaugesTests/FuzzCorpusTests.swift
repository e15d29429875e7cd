import Foundation
import Gauges
import Testing

/// Replays the payload fuzzer's corpus, `Tests/Fixtures/fuzz-corpus`, on every test run: each file goes through the
/// fuzzer's own topic/payload split and invariant checks (`PayloadFuzzHarness`, compiled into the fuzzer too), so an
/// input that once found a bug, or reached a corner of the decoder, is checked again without libFuzzer.
/// `scripts/fuzz` fuzzes; `scripts/fuzz --merge` adds what it found to the corpus.
@Suite("Fuzz corpus")
struct FuzzCorpusTests {
    /// Tests/GaugesTests/FuzzCorpusTests.swift → Tests/Fixtures/fuzz-corpus
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
        .appendingPathComponent("fuzz-corpus")

    /// The corpus files, by name; seeds have descriptive names, inputs libFuzzer found are named by their SHA-1.
    static let fileNames: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { !$0.hasPrefix(".") }
        .sorted()

    @Test func corpusIsThere() throws {
        #expect(Self.fileNames.count >= 20, "expected the fuzz corpus in \(Self.folder.path)")
        var bytes = 0
        for name in Self.fileNames {
            bytes += try #require(FileManager.default.contents(atPath: Self.path(name))).count
        }
        // Small enough to replay in a moment and to keep in git; `scripts/fuzz --merge` keeps only what adds coverage.
        #expect(bytes < 1_000_000, "the fuzz corpus holds \(bytes) bytes")
    }

    /// One test for the whole corpus rather than one test case per file, to keep the test log short: each broken
    /// file is still its own issue, with its name. An input that traps stops the test process without a name; then
    /// `scripts/fuzz --runs 0` replays the corpus under libFuzzer, which prints and saves the input that crashed.
    @Test func everyInputKeepsTheInvariants() throws {
        for name in Self.fileNames {
            let input = try #require(FileManager.default.contents(atPath: Self.path(name)), "cannot read \(name)")
            let problems = PayloadFuzzHarness.violations(in: [UInt8](input))
            #expect(problems.isEmpty, "fuzz-corpus/\(name): \(problems.joined(separator: "; "))")
        }
    }

    static func path(_ name: String) -> String {
        folder.appendingPathComponent(name).path
    }
}

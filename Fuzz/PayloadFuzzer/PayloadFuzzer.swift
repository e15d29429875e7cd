/// # PayloadFuzzer: libFuzzer over topic parsing and payload decoding
///
/// A libFuzzer target (`-sanitize=fuzzer,address`) for `GaugeTopic.parse` and `PayloadDecoder.decode`: the code that
/// every byte a gauge (or anyone who can publish to the broker) sends goes through first.
///
/// Each input is split into an MQTT topic and a payload by `PayloadFuzzHarness.split` (first byte: the topic shape,
/// see the table in `Tests/GaugesTests/PayloadFuzzHarness.swift`), decoded with a fixed three-station catalogue and a
/// fixed clock, under the production limits and under small ones, and checked against invariants that the decoder's
/// code guarantees (`PayloadFuzzHarness.violations`): ranges inside the payload, whole-payload rejections alone,
/// readings finite and inside the catalogue's range and the time window, UTF-8 rejection exactly when the standard
/// library also rejects, the same result when decoding twice, a printable message for every rejection… A broken
/// invariant is a `fatalError`, so libFuzzer reports logic bugs as crashes, not only traps and memory errors.
///
/// Not part of the SwiftPM package (it lives outside `Sources/`): `scripts/fuzz` compiles this file, the harness and
/// every `Sources/Gauges` file into one module and runs it on `Tests/Fixtures/fuzz-corpus`, which `FuzzCorpusTests`
/// replays in the normal test suite through the same harness.
///
///     scripts/fuzz                 # 1,000,000 runs; new inputs go to .build-fuzz/corpus-new
///     scripts/fuzz --runs 50000    # a quick look
///     scripts/fuzz --merge         # fold the new inputs that add coverage into the repo corpus

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let problems = PayloadFuzzHarness.violations(in: input)
    if !problems.isEmpty {
        let (topic, payload) = PayloadFuzzHarness.split(input)
        fatalError(
            "invariant broken on topic \(topic.debugDescription), payload "
                + "\(String(decoding: payload, as: UTF8.self).debugDescription): "
                + problems.joined(separator: "; "))
    }
    return 0
}

import Foundation
import Testing

@testable import Gauges

/// `PlainReading` reads the common form-a object without `JSONParser`: it must take the common forms, leave every
/// other payload to the parser, and never give a result the parser would not.
@Suite("Payload decoder: plain readings read without the JSON parser")
struct PlainReadingTests {
    /// Written as gauges write them: each must be taken by the shortcut.
    static let plain = [
        #"{"ts":1665439200,"value":4.02,"seq":17}"#,
        #"{"ts":1665439200,"value":4.02}"#,
        #"{"value":-0.5,"seq":0,"ts":1665439200.25}"#,
        #"{"ts":1.6654392e9,"value":4,"quality":1,"seq":3}"#,
        " {\n\t\"ts\" : 1665439200 ,\r\n \"value\" :4.020 } \n",
        #"{"ts":1665439200,"value":99,"seq":1}"#,  // out of the sensor's range: rejected the same way
        #"{"ts":1965439200,"value":4.02}"#,  // in the future
        #"{"ts":1665439200,"value":4.02,"seq":-1}"#,  // a negative counter
        #"{"ts":1665439200,"value":4.02,"quality":7}"#,  // no such quality
        #"{"ts":1665439200,"value":1e999}"#,  // infinite
        #"{"ts":-0,"value":4.02}"#,
    ]

    /// Each must be left to the parser, which reads or rejects it in its own words.
    static let others = [
        #"{"ts":"2022-10-11T05:00:00+07:00","value":4.02}"#,
        #"{"ts":1665439200,"value":"4.02"}"#,
        #"{"ts":1665439200,"value":4.02,"seq":null}"#,
        #"{"ts":1665439200,"value":4.02,"quality":"suspect"}"#,
        #"{"ts":1665439200,"value":4.02,"note":1}"#,
        #"{"ts":1665439200,"value":4.02,"ts":1665439300}"#,
        #"{"t\u0073":1665439200,"value":4.02}"#,
        #"{"ts":1665439200,"value":4.02,}"#,
        #"{"ts":1665439200,"value":04.02}"#,
        #"{"ts":1665439200,"value":4.}"#,
        #"{"ts":1665439200,"value":NaN}"#,
        #"{"ts":1665439200,"value":4.02}x"#,
        #"{"ts":1665439200,"value":4.02"#,
        #"{"ts":1665439200}"#,
        #"{"value":4.02}"#,
        #"{}"#,
        #"[{"ts":1665439200,"value":4.02}]"#,
        #"{"ts":1665439200,"value":4.02}{"ts":1665439201,"value":4.02}"#,
        "",
    ]

    static let decoders: [PayloadDecoder] = {
        var tight = IntakeLimits()
        tight.maxPayloadBytes = 32
        var flat = IntakeLimits()
        flat.maxJSONDepth = 0
        return [IntakeLimits(), tight, flat].map { PayloadDecoder(catalogue: Fixtures.catalogue, limits: $0) }
    }()

    @Test func commonFormsTakeTheShortcut() {
        for payload in Self.plain {
            #expect(scan(payload) != nil, "\(payload)")
        }
        #expect(
            scan(#"{"ts":1665439200,"value":4.02,"seq":17}"#)
                == PlainReading(
                    ts: JSONNumber("1665439200")!, value: JSONNumber("4.02")!, seq: JSONNumber("17")!, quality: nil))
    }

    @Test func everythingElseGoesToTheParser() {
        for payload in Self.others {
            #expect(scan(payload) == nil, "\(payload)")
        }
    }

    /// The payloads above, every prefix of them and every one-byte change to them, and the fuzz corpus.
    @Test func bothPathsGiveTheSameMessage() throws {
        var payloads = (Self.plain + Self.others).map { Array($0.utf8) }
        for payload in Self.plain.map({ Array($0.utf8) }) {
            for length in 0..<payload.count { payloads.append(Array(payload.prefix(length))) }
            for index in payload.indices {
                for byte in Array(#" ",:{}0.e-"#.utf8) + [0x5C, 0xC3] where byte != payload[index] {
                    var changed = payload
                    changed[index] = byte
                    payloads.append(changed)
                }
            }
        }
        var inputs = payloads.flatMap { payload in
            [Fixtures.levelTopic, Fixtures.rainTopic, Fixtures.stationTopic].map { ($0, payload) }
        }
        for name in FuzzCorpusTests.fileNames {
            let input = try #require(FileManager.default.contents(atPath: FuzzCorpusTests.path(name)))
            inputs.append(PayloadFuzzHarness.split([UInt8](input)))
        }
        var taken = 0
        for (topic, payload) in inputs {
            if scan(payload) != nil { taken += 1 }
            for decoder in Self.decoders {
                let shortcut = decoder.decode(topic: topic, payload: payload, now: Fixtures.now, plainReadings: true)
                let parsed = decoder.decode(topic: topic, payload: payload, now: Fixtures.now, plainReadings: false)
                #expect(shortcut == parsed, "\(topic) \(String(decoding: payload, as: UTF8.self))")
            }
        }
        // The comparison means something only if many inputs took the shortcut.
        #expect(taken > 500, "only \(taken) of \(inputs.count) inputs were plain readings")
    }

    private func scan(_ payload: String) -> PlainReading? {
        scan(Array(payload.utf8))
    }

    private func scan(_ payload: [UInt8]) -> PlainReading? {
        payload.withUnsafeBufferPointer(PlainReading.scan)
    }
}

import Gauges
import Testing

@Suite("Duration text")
struct DurationTextTests {
    @Test(
        "whole seconds or a whole number with s, m, h, d",
        arguments: [
            ("300", 300), ("30s", 30), ("15m", 900), ("1h", 3600), ("1d", 86_400), (" 5m ", 300), ("-1h", -3600),
        ])
    func valid(text: String, seconds: Int) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(
        "anything else is not a duration", arguments: ["", "m", "1.5h", "5 min", "1w", "h1", "99999999999999999999d"])
    func invalid(text: String) {
        #expect(DurationText.seconds(text) == nil)
    }
}

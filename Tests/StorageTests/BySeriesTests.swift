import Testing

@testable import Storage

@Suite("Values by series number")
struct BySeriesTests {
    @Test("values by any number, dense or not, put back as they were by undo, kept by keep")
    func undoAndKeep() {
        var values = BySeries<Int>()
        values[1] = 10
        values.keep()
        let mark = values.mark
        // SQLite's next numbers, one far past them, and a negative one (a number FloodWatch never gives).
        values[2] = 20
        values[1] = 11
        values[5_000_000_000] = 50
        values[-3] = 30
        #expect([values[1], values[2], values[3], values[5_000_000_000], values[-3]] == [11, 20, nil, 50, 30])
        values.undo(to: mark)
        #expect([values[1], values[2], values[5_000_000_000], values[-3]] == [10, nil, nil, nil])
        values[2_000] = 7
        values.keep()
        values.undo(to: values.mark)
        #expect(values[2_000] == 7)
        values.forget()
        #expect(values[1] == nil && values[2_000] == nil)
    }
}

import Testing

@testable import Coordination

@Suite("Fair shares of slots")
struct FairShareTests {
    static func shares(slots: Int, _ live: [String]) -> [Int] {
        live.map { LeaseSupervisor.fairShare(slots: slots, live: live, me: $0) }
    }

    @Test("the shares of the live instances add up to the slots, and differ by at most one")
    func addUp() {
        for slots in 1...9 {
            for count in 1...5 {
                let live = (0..<count).map { "host-\($0)" }.shuffled()
                let shares = Self.shares(slots: slots, live)
                #expect(shares.reduce(0, +) == slots, "\(slots) slots, \(count) instances: \(shares)")
                #expect(shares.max()! - shares.min()! <= 1)
            }
        }
    }

    @Test("a third instance joining 4 slots held 2 and 2 is given one; alone, an instance holds every slot")
    func joining() {
        #expect(Self.shares(slots: 4, ["a", "b"]) == [2, 2])
        #expect(Self.shares(slots: 4, ["a", "b", "c"]) == [2, 1, 1], "by the order of the instances' ids")
        #expect(LeaseSupervisor.fairShare(slots: 4, live: [], me: "a") == 4)
        #expect(
            LeaseSupervisor.fairShare(slots: 4, live: ["a", "b"], me: "c") == 1,
            "an instance whose own lease is not seen yet counts itself in, last")
    }
}

import Testing

@testable import Coordination

@Suite("Slots of stations")
struct SlotMapTests {
    /// Every instance, of every version, must place a station in the same slot. These values were computed apart
    /// from this code (Python, the FNV-1a definition): a change to the hash fails here before it gives a station
    /// two writers during a rolling upgrade.
    @Test("a station's slot is FNV-1a of its id, the same in every process and version")
    func stable() {
        #expect(SlotMap.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(SlotMap.fnv1a("cau-lau") == 0x7925_44fa_0a69_fb2b)
        #expect(SlotMap.fnv1a("song-tranh-2") == 0xa562_4837_c234_a64d)
        #expect(SlotMap.fnv1a("trà-my") == 0xe9bf_422b_0628_7ad5, "bytes of UTF-8, not characters")
        let four = SlotMap(count: 4)
        #expect(four.slot(of: "cau-lau") == 3)
        #expect(four.slot(of: "hoi-an") == 1)
        #expect(four.slot(of: "tra-my") == 3)
        #expect(SlotMap(count: 7).slot(of: "ai-nghia") == 1)
    }

    @Test("one slot holds every station; with more, each station is in exactly one")
    func partition() {
        let ids = ["tra-my", "tra-giap", "hoi-khach", "song-tranh-2", "nong-son", "cau-lau", "hoi-an", "tam-ky"]
        #expect(SlotMap(count: 1).stations(ids) == [ids])
        let slots = SlotMap(count: 4).stations(ids)
        #expect(slots.count == 4)
        #expect(slots.flatMap { $0 }.sorted() == ids.sorted())
        for (k, stations) in slots.enumerated() {
            #expect(stations.allSatisfy { SlotMap(count: 4).slot(of: $0) == k })
        }
    }
}

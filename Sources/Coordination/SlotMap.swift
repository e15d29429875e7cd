/// Which slot each station belongs to, when stations are divided into `count` slots (issue 17): each slot is one
/// persistent MQTT session and one writer at a time, so one station's readings always reach one writer, in order,
/// and the warning engine's state of each sensor has one owner.
///
/// A station's slot is the 64-bit FNV-1a hash of its id's UTF-8 bytes, modulo `count`. Every instance must agree
/// on it, whatever its version: an instance that placed a station elsewhere would give it two writers. The hash is
/// therefore written out here, not Swift's `Hasher` (seeded anew in each process), and never changes.
public struct SlotMap: Sendable, Hashable {
    /// Slots, at least one.
    public let count: Int

    public init(count: Int) {
        precondition(count >= 1, "at least one slot")
        self.count = count
    }

    /// The slot of station `id`, in `0..<count`.
    public func slot(of id: String) -> Int {
        Int(Self.fnv1a(id) % UInt64(count))
    }

    /// Each slot's stations, in the order given; a slot no station falls in has an empty list.
    public func stations(_ ids: [String]) -> [[String]] {
        var slots = Array(repeating: [String](), count: count)
        for id in ids { slots[slot(of: id)].append(id) }
        return slots
    }

    /// 64-bit FNV-1a (Fowler–Noll–Vo) of the UTF-8 bytes of `text`.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}

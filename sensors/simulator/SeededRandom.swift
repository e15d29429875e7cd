import Foundation

/// A small, fast pseudo-random generator (SplitMix64) whose sequence depends only on its seed.
///
/// The system generator cannot be seeded and Swift's `Hasher` is seeded per process, so neither gives the same
/// storm twice; this one does, on every platform, which is what `--seed` promises.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// A generator for one named purpose (a station, a model part), independent of the order in which other
    /// generators are created: adding a station to the catalogue does not change the others' storms.
    init(seed: UInt64, stream: String) {
        state = SeededRandom.mix(seed ^ SeededRandom.fnv1a(stream))
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SeededRandom.mix(state)
    }

    /// A uniform value in `0 ..< 1`.
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// True with the given probability.
    mutating func chance(_ probability: Double) -> Bool {
        probability > 0 && unit() < probability
    }

    /// A standard normal value (Box–Muller), for the rain noise.
    mutating func gaussian() -> Double {
        let u1 = max(unit(), 1e-12)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// The SplitMix64 finaliser: spreads every input bit over the whole output.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a of a string's UTF-8 bytes: a stable hash, unlike `Hasher`.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// A value in `-1 ... 1` that depends only on its inputs: sensor noise that is the same whether a reading
    /// is produced live, in accelerated mode or in a test.
    static func noise(seed: UInt64, stream: String, index: Int64) -> Double {
        let bits = mix(seed ^ fnv1a(stream) ^ mix(UInt64(bitPattern: index)))
        return Double(bits >> 11) * 0x1p-52 - 1
    }
}

/// "Did you mean …?" for misspelt keys and names.
public enum YAMLSuggestion {
    /// The candidate closest to `word`, if one is close enough to be the likely intent: the same but for case,
    /// at most two edits away (one for words of up to four letters), or the one is an abbreviation of the other
    /// (`lat` / `latitude`).
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let other = candidate.lowercased()
            let distance: Int
            if other == lowered {
                distance = 0
            } else if min(other.count, lowered.count) >= 3, other.hasPrefix(lowered) || lowered.hasPrefix(other) {
                distance = 1
            } else {
                distance = editDistance(lowered, other)
                let allowed = min(lowered.count, other.count) <= 4 ? 1 : 2
                guard distance <= allowed else { continue }
            }
            if best == nil || distance < best!.distance {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// Levenshtein distance over Characters.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

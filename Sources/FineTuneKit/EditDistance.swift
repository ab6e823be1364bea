// The closest real option to a misspelt one, by Levenshtein distance, for "did you mean".

/// The number of single-character insertions, deletions and substitutions turning `a` into `b`.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    // One row of the dynamic-programming table at a time: previous[j] = distance(a[..<i], b[..<j]).
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// The candidate nearest to `word` (ties: the first in `candidates`), or nil if there are none.
public func closest(to word: String, in candidates: [String]) -> String? {
    candidates.min { editDistance(word, $0) < editDistance(word, $1) }
}

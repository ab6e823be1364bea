/// How to shorten inputs longer than `maxLength` (Python `truncation=`). `true` means
/// `.longestFirst`, `false` means `.doNotTruncate`, as in Python.
public enum Truncation: Sendable, Equatable, ExpressibleByBooleanLiteral {
    case doNotTruncate
    /// Remove tokens from the longer sequence of a pair first (Python `"longest_first"`).
    case longestFirst
    /// Remove tokens from the first sequence only (`"only_first"`).
    case onlyFirst
    /// Remove tokens from the second sequence only (`"only_second"`).
    case onlySecond

    public init(booleanLiteral value: Bool) { self = value ? .longestFirst : .doNotTruncate }
}

/// How to pad a batch (Python `padding=`). `true` means `.longest`, `false` `.doNotPad`.
public enum Padding: Sendable, Equatable, ExpressibleByBooleanLiteral {
    case doNotPad
    /// Pad to the longest encoding of the batch.
    case longest
    /// Pad to `maxLength` (or the model's maximum length when none is given).
    case maxLength

    public init(booleanLiteral value: Bool) { self = value ? .longest : .doNotPad }
}

/// Which side padding (or truncation) applies to.
public enum PaddingSide: String, Sendable, Equatable {
    case right, left
}

/// A token sequence before special tokens are added: ids with their original character span
/// and word index (parallel arrays, T entries).
struct RawSequence {
    var ids: [Int32] = []
    var starts: [Int32] = []
    var ends: [Int32] = []
    var words: [Int32] = []

    var count: Int { ids.count }

    /// Keeps `n` tokens: the first ones (`side == .right` cuts the end) or the last ones.
    mutating func truncate(to n: Int, side: PaddingSide) {
        guard n < ids.count else { return }
        let keep = side == .right ? 0..<n : (ids.count - n)..<ids.count
        ids = Array(ids[keep]); starts = Array(starts[keep]); ends = Array(ends[keep]); words = Array(words[keep])
    }
}

/// Cuts `first` (and `second`) so that together they have at most `maxLength` tokens, the way
/// the Python library does: longest-first keeps the shorter sequence whole when it fits in half
/// the budget, else splits the budget evenly (the extra token to the second).
func truncate(_ first: inout RawSequence, _ second: inout RawSequence?, maxLength: Int,
              strategy: Truncation, side: PaddingSide) throws {
    let total = first.count + (second?.count ?? 0)
    guard strategy != .doNotTruncate, total > maxLength else { return }
    let toRemove = total - maxLength
    switch strategy {
    case .doNotTruncate:
        return
    case .longestFirst:
        guard var other = second else {
            first.truncate(to: maxLength, side: side)
            return
        }
        var n1 = first.count, n2 = other.count
        let swapped = n1 > n2
        if swapped { swap(&n1, &n2) }
        n2 = n1 > maxLength ? n1 : max(n1, maxLength - n1)
        if n1 + n2 > maxLength {
            n1 = maxLength / 2
            n2 = n1 + maxLength % 2
        }
        if swapped { swap(&n1, &n2) }
        first.truncate(to: n1, side: side)
        other.truncate(to: n2, side: side)
        second = other
    case .onlyFirst, .onlySecond:
        if strategy == .onlySecond, second == nil {
            throw TokenizerError("truncation onlySecond needs a second sequence: pass a pair or use .longestFirst")
        }
        let n = strategy == .onlyFirst ? first.count : second?.count ?? 0
        guard n > toRemove else {
            throw TokenizerError("cannot fit the input in \(maxLength) tokens (besides special tokens): the "
                + "\(strategy == .onlyFirst ? "first" : "second") sequence has \(n) tokens but \(toRemove) must go; "
                + "raise maxLength or use .longestFirst")
        }
        if strategy == .onlyFirst { first.truncate(to: n - toRemove, side: side) } else {
            second?.truncate(to: n - toRemove, side: side)
        }
    }
}

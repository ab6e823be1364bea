/// Special tokens written literally in the input (`[MASK]`, `[SEP]`): the Python library finds
/// them in the raw text before normalization (leftmost, longest match) and keeps each as one
/// token and one word, with special-tokens-mask 0 (only tokens added by the post-processor get 1).
/// Not modelled: the `lstrip`/`rstrip`/`single_word` flags and `normalized: true` added tokens
/// (matched after normalization in Python; here every added token is matched in the raw text).
/// BERT checkpoints use none of them.
struct AddedTokenMatcher: Sendable {
    /// Per first scalar: candidate tokens (scalars, id), longest first.
    private let byFirst: [UInt32: [([UInt32], Int32)]]

    init(_ tokens: [(String, Int)]) {
        var m: [UInt32: [([UInt32], Int32)]] = [:]
        for (t, id) in tokens {
            let s = t.unicodeScalars.map(\.value)
            guard let f = s.first else { continue }
            m[f, default: []].append((s, Int32(id)))
        }
        byFirst = m.mapValues { $0.sorted { $0.0.count > $1.0.count } }
    }

    var isEmpty: Bool { byFirst.isEmpty }

    /// Calls `segment` for each piece of `text[range]` in order: plain text (`id == nil`) or an
    /// added token.
    func split(_ text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, segment: (Range<Int>, Int32?) -> Void) {
        if byFirst.isEmpty {
            segment(range, nil)
            return
        }
        var plainStart = range.lowerBound
        var i = range.lowerBound
        outer: while i < range.upperBound {
            if let candidates = byFirst[text[i]] {
                for (s, id) in candidates where i + s.count <= range.upperBound {
                    var same = true
                    for k in 1..<s.count where text[i + k] != s[k] { same = false; break }
                    if same {
                        if plainStart < i { segment(plainStart..<i, nil) }
                        segment(i..<(i + s.count), id)
                        i += s.count
                        plainStart = i
                        continue outer
                    }
                }
            }
            i += 1
        }
        if plainStart < range.upperBound { segment(plainStart..<range.upperBound, nil) }
    }
}

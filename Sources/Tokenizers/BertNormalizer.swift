import Foundation

/// BERT's text normalizer (tokenizer.json `"type": "BertNormalizer"`), applied one Unicode
/// scalar at a time so every output scalar remembers which input scalar it came from:
/// 1. clean text: drop NUL, U+FFFD and control/format/private-use scalars (not tab, LF, CR);
///    map every whitespace scalar to a space;
/// 2. Chinese characters: put spaces around each CJK ideograph so it becomes its own word;
/// 3. strip accents: canonical decomposition (NFD), then drop nonspacing marks (Mn);
/// 4. lowercase (full Unicode mapping: one scalar may become several).
/// The steps are per-scalar maps in the Python library too, so doing all four per scalar gives
/// the same text, except NFD's canonical reordering of combining marks, done per run of marks.
public struct BertNormalizer: Sendable, Equatable {
    /// Step 1: drop control scalars and turn every whitespace scalar into a space.
    public var cleanText: Bool
    /// Step 2: put spaces around CJK ideographs, so each is a word of its own.
    public var handleChineseChars: Bool
    /// nil: follow `lowercase`, as the Python library does.
    public var stripAccents: Bool?
    /// Step 4: lowercase (uncased checkpoints such as all-MiniLM-L6-v2).
    public var lowercase: Bool

    /// A normalizer with these steps; the defaults are an uncased BERT's.
    public init(cleanText: Bool = true, handleChineseChars: Bool = true, stripAccents: Bool? = nil,
                lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseChars = handleChineseChars
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    /// Normalizes `input[range]`, appending each output scalar to `out` and the index in `input`
    /// it came from to `origins`.
    func normalize(_ input: UnsafeBufferPointer<UInt32>, _ range: Range<Int>,
                   into out: inout [UInt32], origins: inout [Int32]) {
        let strip = stripAccents ?? lowercase
        // Combining marks (canonical combining class > 0) waiting for canonical reordering:
        // the scalar, its class, and whether it is the first scalar of its source's
        // decomposition (it "consumes" its source; later ones borrow the last consumed one).
        var marks: [(scalar: Unicode.Scalar, ccc: UInt8, first: Bool)] = []
        var markOrigins: [Int32] = []
        var lastConsumed: Int32 = 0
        for i in range {
            var c = input[i]
            let origin = Int32(i)
            if c < 0x80 {
                if !marks.isEmpty { flush(&marks, &markOrigins, &lastConsumed, &out, &origins) }
                lastConsumed = origin
                // ASCII fast path: controls other than tab/LF/CR are dropped, no accents, simple case.
                if cleanText {
                    if c == 9 || c == 10 || c == 13 { c = 32 } else if c < 32 || c == 127 { continue }
                }
                if lowercase, c >= 65, c <= 90 { c += 32 }
                out.append(c)
                origins.append(origin)
                continue
            }
            guard let scalar = Unicode.Scalar(c) else { continue }
            if cleanText {
                if c == 0xFFFD || UnicodeClass.isControl(scalar) { continue }
                if scalar.properties.isWhitespace {
                    if !marks.isEmpty { flush(&marks, &markOrigins, &lastConsumed, &out, &origins) }
                    lastConsumed = origin
                    out.append(32); origins.append(origin)
                    continue
                }
            }
            // The Chinese-character step only adds spaces around the scalar; the later steps
            // still apply to it (a CJK compatibility ideograph decomposes to its unified form).
            let chinese = handleChineseChars && UnicodeClass.isChinese(c)
            if chinese {
                if !marks.isEmpty { flush(&marks, &markOrigins, &lastConsumed, &out, &origins) }
                out.append(32); origins.append(origin)
            }
            if !strip {
                emit(scalar, origin, &out, &origins)
            } else {
                for (k, d) in UnicodeClass.decompose(scalar).enumerated() {
                    let ccc = UInt8(truncatingIfNeeded: d.properties.canonicalCombiningClass.rawValue)
                    if ccc == 0 {
                        if !marks.isEmpty { flush(&marks, &markOrigins, &lastConsumed, &out, &origins) }
                        lastConsumed = origin
                        if UnicodeClass.category(d) != .nonspacingMark { emit(d, origin, &out, &origins) }
                    } else {
                        marks.append((d, ccc, k == 0))
                        markOrigins.append(origin)
                    }
                }
            }
            if chinese { out.append(32); origins.append(origin) }
        }
        if !marks.isEmpty { flush(&marks, &markOrigins, &lastConsumed, &out, &origins) }
    }

    /// Lowercases (if asked) and appends one scalar.
    @inline(__always)
    private func emit(_ s: Unicode.Scalar, _ origin: Int32, _ out: inout [UInt32], _ origins: inout [Int32]) {
        if lowercase {
            for l in s.properties.lowercaseMapping.unicodeScalars {
                out.append(l.value)
                origins.append(origin)
            }
        } else {
            out.append(s.value)
            origins.append(origin)
        }
    }

    /// NFD's canonical reordering of a run of combining marks (stable sort by combining class),
    /// then the accent filter. Origins follow the Python library's alignment rule: a mark that
    /// began its source's decomposition takes the next source position in order, any other
    /// mark the position taken last.
    private func flush(_ marks: inout [(scalar: Unicode.Scalar, ccc: UInt8, first: Bool)], _ markOrigins: inout [Int32],
                       _ lastConsumed: inout Int32, _ out: inout [UInt32], _ origins: inout [Int32]) {
        var sorted = marks
        if sorted.count > 1 {
            // Insertion sort: runs are short and the sort must be stable.
            for i in 1..<sorted.count {
                var j = i
                let m = sorted[i]
                while j > 0, sorted[j - 1].ccc > m.ccc { sorted[j] = sorted[j - 1]; j -= 1 }
                sorted[j] = m
            }
        }
        var consumed: [Int32] = []
        for (k, m) in marks.enumerated() where m.first { consumed.append(markOrigins[k]) }
        var next = 0
        for m in sorted {
            if m.first, next < consumed.count { lastConsumed = consumed[next]; next += 1 }
            if UnicodeClass.category(m.scalar) != .nonspacingMark { emit(m.scalar, lastConsumed, &out, &origins) }
        }
        marks.removeAll(keepingCapacity: true)
        markOrigins.removeAll(keepingCapacity: true)
    }
}

/// Character classes as the Python (Rust) library defines them.
///
/// The Rust library takes general categories (control, punctuation, nonspacing mark) from
/// tables of Unicode 8.0, while whitespace and case come from the current standard. A scalar
/// assigned after 8.0 therefore has no category there (U+2E43, a Unicode 9 punctuation mark,
/// is not split off; U+1DFB, a Unicode 9 mark, is not stripped): `category` reproduces that.
enum UnicodeClass {
    /// General category as the Unicode 8.0 tables give it; nil for scalars assigned later.
    @inline(__always)
    static func category(_ s: Unicode.Scalar) -> Unicode.GeneralCategory? {
        if let old = categoryIn8[s.value] { return old }
        guard let age = s.properties.age, age.major < 8 || (age.major == 8 && age.minor == 0) else { return nil }
        return s.properties.generalCategory
    }

    /// Scalars whose category changed after Unicode 8.0 in a way BERT notices, with their 8.0
    /// category (found by comparing every scalar: Tests/TokenizersTests/UnicodeClassTests).
    static let categoryIn8: [UInt32: Unicode.GeneralCategory] = [
        0x166D: .otherPunctuation,   // CANADIAN SYLLABICS CHI SIGN, So since 12.0
        0x1734: .nonspacingMark,     // HANUNOO SIGN PAMUDPOD, Mc since 14.0
        0x1885: .otherLetter,        // MONGOLIAN LETTER ALI GALI BALUDA, Mn since 9.0
        0x1886: .otherLetter,        // MONGOLIAN LETTER ALI GALI THREE BALUDA, Mn since 9.0
        0xA9BD: .spacingMark,        // JAVANESE CONSONANT SIGN KERET, Mn since 12.0
        0x111C9: .otherPunctuation,  // SHARADA SANDHI MARK, Mn since 11.0
        0x1171E: .nonspacingMark,    // AHOM CONSONANT SIGN MEDIAL RA, Mc since 14.0
    ]

    /// Control in BERT's sense: general category Cc, Cf, Co or Cs (unassigned Cn is kept),
    /// except tab, LF and CR.
    @inline(__always)
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 9, 10, 13: return false
        default:
            switch category(s) {
            case .control, .format, .privateUse, .surrogate: return true
            default: return false
            }
        }
    }

    /// Whitespace: the Unicode White_Space property (tab, LF, CR included).
    @inline(__always)
    static func isWhitespace(_ c: UInt32) -> Bool {
        if c < 0x80 { return c == 32 || (c >= 9 && c <= 13) }
        return Unicode.Scalar(c)?.properties.isWhitespace ?? false
    }

    /// Punctuation: ASCII punctuation and symbols (`$`, `+`, `^`, ...) or a Unicode P* category.
    @inline(__always)
    static func isPunctuation(_ c: UInt32) -> Bool {
        if c < 0x80 {
            return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)
        }
        guard let s = Unicode.Scalar(c) else { return false }
        switch category(s) {
        case .connectorPunctuation, .dashPunctuation, .closePunctuation, .finalPunctuation,
             .initialPunctuation, .otherPunctuation, .openPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK ideograph blocks BERT isolates (not kana or hangul, which it treats as letters).
    @inline(__always)
    static func isChinese(_ c: UInt32) -> Bool {
        switch c {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// Canonical decomposition (NFD) of one scalar.
    static func decompose(_ s: Unicode.Scalar) -> [Unicode.Scalar] {
        // Hangul syllables decompose arithmetically (Unicode §3.12).
        let v = s.value
        if v >= 0xAC00, v <= 0xD7A3 {
            let index = v - 0xAC00
            let l = 0x1100 + index / 588, vowel = 0x1161 + (index % 588) / 28, t = 0x11A7 + index % 28
            var r = [Unicode.Scalar(l), Unicode.Scalar(vowel)].compactMap { $0 }
            if t != 0x11A7, let ts = Unicode.Scalar(t) { r.append(ts) }
            return r
        }
        if v < 0x250 { return latinDecompositions[Int(v)] }
        // The Rust library's normalization tables predate scalars added after Unicode 8.0
        // (U+11938, Unicode 13, decomposes canonically today but not there).
        if let age = s.properties.age, age.major > 8 || (age.major == 8 && age.minor > 0) { return [s] }
        return Array(String(s).decomposedStringWithCanonicalMapping.unicodeScalars)
    }

    /// Decompositions of U+0000–U+024F (Latin-1 and Latin Extended), the accented letters
    /// news text is full of, computed once.
    static let latinDecompositions: [[Unicode.Scalar]] = (0..<0x250).map { v in
        guard let s = Unicode.Scalar(UInt32(v)) else { return [] }
        return Array(String(s).decomposedStringWithCanonicalMapping.unicodeScalars)
    }
}

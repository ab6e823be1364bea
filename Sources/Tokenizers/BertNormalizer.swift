import Foundation

/// BERT's text normalizer (tokenizer.json `"type": "BertNormalizer"`), applied one Unicode
/// scalar at a time so every output scalar remembers which input scalar it came from:
/// 1. clean text: drop NUL, U+FFFD and control/format/private-use scalars (not tab, LF, CR);
///    map every whitespace scalar to a space;
/// 2. Chinese characters: put spaces around each CJK ideograph so it becomes its own word;
/// 3. strip accents: canonical decomposition (NFD), then drop nonspacing marks (Mn);
/// 4. lowercase (full Unicode mapping: one scalar may become several).
/// The steps are per-scalar maps in the Python library too, so doing all four per scalar gives
/// the same text (NFD's reordering of combining marks is the one cross-scalar effect; marks are
/// dropped when accents are stripped, and NFD is not applied otherwise).
public struct BertNormalizer: Sendable, Equatable {
    public var cleanText: Bool
    public var handleChineseChars: Bool
    /// nil: follow `lowercase`, as the Python library does.
    public var stripAccents: Bool?
    public var lowercase: Bool

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
        for i in range {
            var c = input[i]
            let origin = Int32(i)
            if c < 0x80 {
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
                if scalar.properties.isWhitespace { out.append(32); origins.append(origin); continue }
            }
            if handleChineseChars, UnicodeClass.isChinese(c) {
                out.append(32); out.append(c); out.append(32)
                origins.append(origin); origins.append(origin); origins.append(origin)
                continue
            }
            if !strip && !lowercase {
                out.append(c)
                origins.append(origin)
                continue
            }
            for d in strip ? UnicodeClass.decompose(scalar) : [scalar] {
                if strip, UnicodeClass.category(d) == .nonspacingMark { continue }
                if lowercase {
                    for l in d.properties.lowercaseMapping.unicodeScalars {
                        out.append(l.value)
                        origins.append(origin)
                    }
                } else {
                    out.append(d.value)
                    origins.append(origin)
                }
            }
        }
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
        guard let age = s.properties.age, age.major < 8 || (age.major == 8 && age.minor == 0) else { return nil }
        return s.properties.generalCategory
    }

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
        return Array(String(s).decomposedStringWithCanonicalMapping.unicodeScalars)
    }

    /// Decompositions of U+0000–U+024F (Latin-1 and Latin Extended), the accented letters
    /// news text is full of, computed once.
    static let latinDecompositions: [[Unicode.Scalar]] = (0..<0x250).map { v in
        guard let s = Unicode.Scalar(UInt32(v)) else { return [] }
        return Array(String(s).decomposedStringWithCanonicalMapping.unicodeScalars)
    }
}

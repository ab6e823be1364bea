// Finding entity spans in tag sequences, the two ways seqeval does.
//
// Default mode follows the conlleval script: sentences are joined with an `O` between them and
// a stray `I-X` (no `B-X` before it) still opens an entity. Strict mode follows a tagging
// scheme (IOB2 here): only `B-X I-X*` runs are entities, and a tag outside the scheme is an error.

/// How to decide where entities are.
public enum SeqevalMode: String, Sendable {
    /// conlleval-compatible (seqeval's `mode=None`): lenient about stray `I-` tags.
    case `default`
    /// seqeval's `mode="strict"` with a scheme: only well-formed entities count.
    case strict
}

/// Tagging schemes for strict mode.
public enum TaggingScheme: String, Sendable {
    /// B- opens every entity, I- continues it (CoNLL-2003 as Hugging Face ships it).
    case iob2 = "IOB2"
}

/// An entity span: its type (interned as an index into a name table) and first/last token,
/// counted over the whole flattened input so spans from different sentences never collide.
struct EntitySpan: Hashable {
    var type: Int
    var start: Int
    var end: Int
}

/// Interns entity type names so spans compare as integers.
struct TypeTable {
    private(set) var names: [String] = []
    private var ids: [String: Int] = [:]
    mutating func id(_ name: String) -> Int {
        if let id = ids[name] { return id }
        ids[name] = names.count
        names.append(name)
        return names.count - 1
    }
}

/// A tag split into its one-character prefix and its type, parsed once per distinct tag.
private struct ParsedTag {
    var prefix: Unicode.Scalar
    var type: Int
}

/// Default (conlleval) mode: seqeval's `get_entities` over all sentences.
/// - Parameter sentences: [N][T_n] tag strings.
func defaultModeEntities(_ sentences: [[String]], types: inout TypeTable) throws -> [EntitySpan] {
    var cache: [String: ParsedTag] = [:]
    let outside = ParsedTag(prefix: "O", type: types.id("_"))
    func parse(_ tag: String) throws -> ParsedTag {
        if let p = cache[tag] { return p }
        guard let first = tag.unicodeScalars.first else {
            throw MetricError("an empty string is not a tag; use \"O\" for tokens outside entities")
        }
        // The type is what follows the first '-' after the prefix ("B-PER" -> "PER"), or the
        // rest of the tag if it has no '-'; an empty type is spelled "_".
        let rest = String(tag.unicodeScalars.dropFirst())
        var type = rest
        if let dash = rest.firstIndex(of: "-") { type = String(rest[rest.index(after: dash)...]) }
        let p = ParsedTag(prefix: first, type: types.id(type.isEmpty ? "_" : type))
        cache[tag] = p
        return p
    }

    var spans: [EntitySpan] = []
    var prev = outside
    var begin = 0
    var i = 0
    func step(_ cur: ParsedTag) {
        if endOfChunk(prev, cur) { spans.append(EntitySpan(type: prev.type, start: begin, end: i - 1)) }
        if startOfChunk(prev, cur) { begin = i }
        prev = cur
        i += 1
    }
    for sentence in sentences {
        for tag in sentence { step(try parse(tag)) }
        step(outside)  // seqeval appends an "O" after every sentence
    }
    step(outside)  // and one more at the very end
    return spans
}

private func endOfChunk(_ prev: ParsedTag, _ cur: ParsedTag) -> Bool {
    let p = prev.prefix, t = cur.prefix
    if p == "E" || p == "S" { return true }
    if (p == "B" || p == "I") && (t == "B" || t == "S" || t == "O") { return true }
    return p != "O" && p != "." && prev.type != cur.type
}

private func startOfChunk(_ prev: ParsedTag, _ cur: ParsedTag) -> Bool {
    let p = prev.prefix, t = cur.prefix
    if t == "B" || t == "S" { return true }
    if (p == "E" || p == "S" || p == "O") && (t == "E" || t == "I") { return true }
    return t != "O" && t != "." && prev.type != cur.type
}

/// Strict mode with IOB2: entities are `B-X` followed by any number of `I-X`.
/// - Parameter sentences: [N][T_n] tag strings; each prefix must be B, I or O.
func strictIOB2Entities(_ sentences: [[String]], types: inout TypeTable) throws -> [EntitySpan] {
    var cache: [String: ParsedTag] = [:]
    func parse(_ tag: String) throws -> ParsedTag {
        if let p = cache[tag] { return p }
        guard let first = tag.unicodeScalars.first else {
            throw MetricError("an empty string is not a tag; use \"O\" for tokens outside entities")
        }
        guard first == "B" || first == "I" || first == "O" else {
            throw MetricError("invalid tag '\(tag)' for the IOB2 scheme: allowed prefixes are B, I and O. "
                + "Use mode: .default for other tag sets")
        }
        // seqeval strips the delimiter from both ends of what follows the prefix.
        var type = Substring(String(tag.unicodeScalars.dropFirst()))
        while type.first == "-" { type = type.dropFirst() }
        while type.last == "-" { type = type.dropLast() }
        let p = ParsedTag(prefix: first, type: types.id(type.isEmpty ? "_" : String(type)))
        cache[tag] = p
        return p
    }

    var spans: [EntitySpan] = []
    var offset = 0
    for sentence in sentences {
        let tags = try sentence.map(parse)
        var i = 0
        while i < tags.count {
            guard tags[i].prefix == "B" else { i += 1; continue }
            var end = i + 1
            while end < tags.count && tags[end].prefix == "I" && tags[end].type == tags[i].type { end += 1 }
            spans.append(EntitySpan(type: tags[i].type, start: offset + i, end: offset + end - 1))
            i = end
        }
        offset += sentence.count + 1
    }
    return spans
}

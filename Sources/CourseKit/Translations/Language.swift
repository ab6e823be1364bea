// Languages of the course: English (the source chapters) and those of the translations.
// A translation names its language in front matter (`lang: zh-Hans`); the site, the
// glossary check and `--lang` read the rest of what they need about it from here.

/// A language the course is written or translated in.
public struct Language: Sendable, Equatable, Hashable {
    /// BCP 47 tag, as `<html lang>` wants it: `en`, `zh-Hans`, `ja`, `de`.
    public var tag: String
    /// The language's name in itself, for the language switcher.
    public var name: String

    public init(tag: String, name: String) {
        self.tag = tag
        self.name = name
    }

    public static let english = Language(tag: "en", name: "English")

    /// Languages with a name and site strings; any other tag still works, named by its tag.
    public static let known: [Language] = [
        english,
        Language(tag: "zh-Hans", name: "简体中文"),
        Language(tag: "ja", name: "日本語"),
        Language(tag: "de", name: "Deutsch"),
    ]

    /// The language of a tag (case-insensitive), named if it is known.
    public static func named(_ tag: String) -> Language {
        known.first { $0.tag.lowercased() == tag.lowercased() } ?? Language(tag: tag, name: tag)
    }

    /// Whether `query` (from `--lang` or `COURSE_LANG`) means this language: the same primary
    /// subtag, so `zh` finds `zh-Hans` and a region tag as a locale gives it (`de-DE`, `zh-CN`,
    /// `en-US`, or `de_DE.UTF-8`) finds its language; only a script that differs (`zh-TW` is
    /// written in `Hant`, `zh-Hans` is not) keeps two apart.
    public func matches(_ query: String) -> Bool {
        let q = Language.subtags(query), t = Language.subtags(tag)
        guard let primary = q.first, primary == t.first else { return false }
        if let wanted = Language.script(q), let written = Language.script(t) { return wanted == written }
        return true
    }

    /// The lowercased subtags of a tag or a POSIX locale name (`de_DE.UTF-8` → de, de).
    static func subtags(_ s: String) -> [String] {
        let tag = s.split(separator: ".").first.map(String.init) ?? s
        return tag.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).map(String.init)
    }

    /// The script a tag names or implies (Chinese regions imply one), lowercased.
    static func script(_ subtags: [String]) -> String? {
        if let explicit = subtags.dropFirst().first(where: { $0.count == 4 }) { return explicit }
        guard subtags.first == "zh" else { return nil }
        if subtags.contains(where: { ["tw", "hk", "mo"].contains($0) }) { return "hant" }
        if subtags.contains(where: { ["cn", "sg"].contains($0) }) { return "hans" }
        return nil
    }

    /// A file-name-safe form of the tag for the site (`zh-Hans` → `zh-hans`).
    public var slug: String { tag.lowercased() }

    /// Chinese and Japanese set text without spaces between words.
    public var isCJK: Bool { ["zh", "ja", "ko"].contains(tag.lowercased().split(separator: "-").first.map(String.init) ?? "") }

    /// A plausible BCP 47 tag: a 2–3 letter primary subtag, then letters or digits after '-'.
    static func isTag(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { !$0.isEmpty && $0.count <= 8 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }
}

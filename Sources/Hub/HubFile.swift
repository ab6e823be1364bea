// A file a snapshot asks for: a path inside the repository, whether the checkpoint may lack
// it, and its sha256 and size when the caller knows them (a dataset's listing does).
//
//     try hub.snapshot(of: "sentence-transformers/all-MiniLM-L6-v2",
//                      files: ["config.json", "model.safetensors", "vocab.txt", .optional("tokenizer.json")])
//
// A string literal is a required file. An optional file that the source says does not exist
// is simply not in the returned directory; a source that cannot answer (network down, offline)
// is still an error for it, so "absent" never hides "could not check".

/// A file a snapshot asks for: its path in the repository, whether it may be absent, and its
/// sha256 and size when known. A string literal is a required file.
public struct HubFile: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// Path inside the repository, `/`-separated (`1_Pooling/config.json`).
    public var path: String
    /// True when the checkpoint may lack the file (e.g. `tokenizer.json` beside `vocab.txt`).
    public var isOptional: Bool
    /// Expected lower-case hex sha256; checked on download (cached and mirror files are trusted).
    public var sha256: String?
    /// Expected size in bytes; checked on download like `sha256`.
    public var size: Int64?
    /// Where `size` and `sha256` come from, for messages ("the Hub's file listing of …").
    var origin: String?

    /// A file at `path`; `optional` when the checkpoint may lack it; `sha256` and `size` when known.
    public init(_ path: String, optional: Bool = false, sha256: String? = nil, size: Int64? = nil) {
        self.path = path
        self.isOptional = optional
        self.sha256 = sha256
        self.size = size
    }

    public init(stringLiteral path: String) { self.init(path) }

    /// A file the checkpoint may lack.
    public static func optional(_ path: String) -> HubFile { HubFile(path, optional: true) }

    public var description: String { isOptional ? "\(path) (optional)" : path }
}

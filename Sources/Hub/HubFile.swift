// A file a snapshot asks for: a path inside the repository, whether the checkpoint may lack
// it, and its sha256 when the caller knows it.
//
//     try hub.snapshot(of: "sentence-transformers/all-MiniLM-L6-v2",
//                      files: ["config.json", "model.safetensors", "vocab.txt", .optional("tokenizer.json")])
//
// A string literal is a required file. An optional file that the source says does not exist
// is simply not in the returned directory; a source that cannot answer (network down, offline)
// is still an error for it, so "absent" never hides "could not check".

public struct HubFile: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// Path inside the repository, `/`-separated (`1_Pooling/config.json`).
    public var path: String
    /// True when the checkpoint may lack the file (e.g. `tokenizer.json` beside `vocab.txt`).
    public var isOptional: Bool
    /// Expected lower-case hex sha256; checked on download (cached and mirror files are trusted).
    public var sha256: String?

    public init(_ path: String, optional: Bool = false, sha256: String? = nil) {
        self.path = path
        self.isOptional = optional
        self.sha256 = sha256
    }

    public init(stringLiteral path: String) { self.init(path) }

    /// A file the checkpoint may lack.
    public static func optional(_ path: String) -> HubFile { HubFile(path, optional: true) }

    public var description: String { isOptional ? "\(path) (optional)" : path }
}

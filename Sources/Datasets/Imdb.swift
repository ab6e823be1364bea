import Foundation
import Hub

// IMDb movie reviews (Maas et al. 2011): the full aclImdb archive, or the small JSON Lines
// subsets for CPU-sized runs.

/// IMDb movie reviews: the features and label names of the Hugging Face `imdb` dataset, and its loaders.
public enum Imdb {
    /// The label names by id: 0 "neg", 1 "pos".
    public static let labelNames = ["neg", "pos"]
    /// `text` (the review) and `label` (a `ClassLabel` of `labelNames`).
    public static let features: Features = ["text": .string, "label": .classLabel(ClassLabel(names: labelNames))]

    /// `train` and `test` (25,000 reviews each, negatives then positives, archive order within
    /// each) from `aclImdb_labeled_train_test.tar.gz` in `repo`.
    public static func load(repo: String = "imdb", hub: Hub = .shared) throws -> DatasetDict {
        let url = try hub.file("aclImdb_labeled_train_test.tar.gz", in: repo, type: .dataset)
        return try readArchive(url)
    }

    /// `train` and `test` from `imdb_small_train.jsonl` and `imdb_small_test.jsonl` (columns
    /// `text`, `label`, `id`, `rating`; 2,000 and 1,000 rows).
    public static func loadSmall(repo: String = "imdb", hub: Hub = .shared) throws -> DatasetDict {
        var dict = DatasetDict([])
        for split in ["train", "test"] {
            let url = try hub.file("imdb_small_\(split).jsonl", in: repo, type: .dataset)
            let raw = try readJSONLines(url)
            var f = raw.features
            if f[set: "label"] != nil { f[set: "label"] = .classLabel(ClassLabel(names: labelNames)) }
            dict.set(split, to: try Dataset(raw.columnNames.map { ($0, try raw[column: $0]) }, features: f))
        }
        return dict
    }

    /// Reads the aclImdb layout (`aclImdb/{train,test}/{neg,pos}/ID_RATING.txt`) from a .tar.gz.
    /// Foundation has no gzip, so `gzip -dc` decompresses (it is on every Linux and macOS) and the
    /// tar format, 512-byte headers followed by file data, is read here.
    public static func readArchive(_ url: URL) throws -> DatasetDict {
        let tar = try gunzip(url)
        var text: [String: [[Value]]] = ["train": [[], []], "test": [[], []]]
        try forEachTarFile(tar, name: url.path) { path, body in
            let parts = path.split(separator: "/")
            guard parts.count == 4, parts[0] == "aclImdb", parts[3].hasSuffix(".txt"),
                  let label = labelNames.firstIndex(of: String(parts[2])), text[String(parts[1])] != nil else { return }
            text[String(parts[1])]![label].append(.string(String(decoding: body, as: UTF8.self)))
        }
        var dict = DatasetDict([])
        for split in ["train", "test"] {
            let byLabel = text[split] ?? [[], []]
            let texts = byLabel[0] + byLabel[1]
            guard !texts.isEmpty else {
                throw DatasetError("\(url.path) has no aclImdb/\(split)/{neg,pos}/*.txt files; is it the aclImdb archive?")
            }
            let labels = [Value](repeating: .int(0), count: byLabel[0].count) + [Value](repeating: .int(1), count: byLabel[1].count)
            dict.set(split, to: Dataset(checkedColumns: ["text": texts, "label": labels], features: features,
                                        numRows: texts.count))
        }
        return dict
    }
}

/// The decompressed bytes of a gzip file, via the system `gzip`.
func gunzip(_ url: URL) throws -> Data {
    guard let gzip = ["/usr/bin/gzip", "/bin/gzip", "/usr/local/bin/gzip", "/opt/homebrew/bin/gzip"]
        .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw DatasetError("reading \(url.lastPathComponent) needs the gzip program; install it (apt-get install gzip)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: gzip)
    process.arguments = ["-dc", url.path]
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let message = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw DatasetError("gzip could not decompress \(url.path): "
            + String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
    return data
}

/// Calls `body` with the path and contents of every regular file in a tar archive (ustar and
/// GNU, with ustar name prefixes and GNU long names).
func forEachTarFile(_ tar: Data, name: String, _ body: (String, UnsafeBufferPointer<UInt8>) throws -> Void) throws {
    try tar.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
        let b = raw.bindMemory(to: UInt8.self)
        var offset = 0
        var longName: String?
        func field(_ start: Int, _ length: Int) -> String {
            var end = start
            while end < start + length && b[end] != 0 { end += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
        }
        while offset + 512 <= b.count {
            if b[offset] == 0 { break }  // end-of-archive blocks
            let sizeText = field(offset + 124, 12).trimmingCharacters(in: CharacterSet(charactersIn: " \0"))
            guard let size = Int(sizeText, radix: 8) else {
                throw DatasetError("\(name): corrupt tar header at byte \(offset) (size field '\(sizeText)')")
            }
            let type = b[offset + 156]
            var path = field(offset, 100)
            let prefix = field(offset + 345, 155)
            if field(offset + 257, 6).hasPrefix("ustar") && !prefix.isEmpty { path = prefix + "/" + path }
            let dataStart = offset + 512
            guard dataStart + size <= b.count else {
                throw DatasetError("\(name): the archive is truncated inside \(path)")
            }
            let content = UnsafeBufferPointer(rebasing: b[dataStart..<(dataStart + size)])
            if type == UInt8(ascii: "L") {
                longName = String(decoding: content, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "\0"))
            } else {
                if type == UInt8(ascii: "0") || type == 0 { try body(longName ?? path, content) }
                longName = nil
            }
            offset = dataStart + (size + 511) / 512 * 512
        }
    }
}

import Foundation
import TestSupport
import Testing
@testable import Hub

// The course's real mirror (see its MANIFEST.md): found via COURSE_MIRROR, else
// <package root>/../shared/mirror. Without it these tests are skipped, not failed.

/// The mirror directory, if this machine has one.
let courseMirror: URL? = TestPaths.mirror.flatMap {
    FileManager.default.fileExists(atPath: $0.appendingPathComponent("models").path) ? $0 : nil
}

private let miniLM = "sentence-transformers/all-MiniLM-L6-v2"

@Suite(.enabled(if: courseMirror != nil, "needs the course mirror: set COURSE_MIRROR or put it at ../shared/mirror"))
struct CourseMirrorTests {
    @Test func miniLMSnapshotResolvesInPlace() throws {
        let mirror = try #require(courseMirror)
        let cache = try temporaryDirectory()
        defer { cleanup(cache) }
        let hub = testHub(cache: cache, mirror: mirror.path, offline: true)

        let directory = try hub.snapshot(of: miniLM, files: [
            "config.json", "model.safetensors", "tokenizer.json", "vocab.txt", "tokenizer_config.json",
        ])

        #expect(directory.path == mirror.appendingPathComponent("models/\(miniLM)").path)
        // Checksums from the mirror's MANIFEST.md (small files only: hashing 90 MB is slow in debug).
        #expect(try Downloader.sha256(of: directory.appendingPathComponent("config.json"))
            == "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41")
        #expect(try Downloader.sha256(of: directory.appendingPathComponent("vocab.txt"))
            == "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3")
        #expect(Downloader.fileSize(directory.appendingPathComponent("model.safetensors")) > 80_000_000)
        // Optional files: present ones are there, absent ones are nil, nothing is invented.
        #expect(try hub.fileIfPresent("special_tokens_map.json", in: miniLM) != nil)
        #expect(try hub.fileIfPresent("pytorch_model.bin", in: miniLM) == nil)
    }

    @Test func datasetFilesResolve() throws {
        let mirror = try #require(courseMirror)
        let cache = try temporaryDirectory()
        defer { cleanup(cache) }
        let hub = testHub(cache: cache, mirror: "file://" + mirror.path, offline: true)

        let conll = try hub.snapshot(of: "conll2003", type: .dataset, files: ["train.txt", "valid.txt", "test.txt"])
        #expect(try Downloader.sha256(of: conll.appendingPathComponent("valid.txt"))
            == "c02eb19809eafb83998326a0481942eb37d96f31826ae387cfe8773699969f5b")
        let mrpc = try hub.file("dev.tsv", in: "glue/mrpc", type: .dataset)
        #expect(mrpc.path == mirror.appendingPathComponent("datasets/glue/mrpc/dev.tsv").path)
    }

    @Test func mirrorServedOverHTTPIsDownloadedAndVerified() throws {
        let mirror = try #require(courseMirror)
        let server = try TestHTTPServer()
        defer { server.stop() }
        let cache = try temporaryDirectory()
        defer { cleanup(cache) }
        for name in ["config.json", "vocab.txt"] {
            let body = contents(mirror.appendingPathComponent("models/\(miniLM)/\(name)"))
            server.file("/mirror/models/\(miniLM)/\(name)", body)   // a plain static server: no ETag
        }
        let hub = testHub(cache: cache, mirror: server.baseURL + "/mirror")

        let vocab = try hub.file("vocab.txt", in: miniLM,
                                 sha256: "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3")
        let directory = try hub.snapshot(of: miniLM, files: ["config.json", "vocab.txt", .optional("tokenizer.json")])

        let commit = Hub.pseudoCommit(repo: miniLM, type: .model, revision: "main")
        #expect(vocab.path == cache.path + "/models--sentence-transformers--all-MiniLM-L6-v2/snapshots/\(commit)/vocab.txt")
        #expect(directory == vocab.deletingLastPathComponent())
        #expect(contents(directory.appendingPathComponent("config.json"))
            == contents(mirror.appendingPathComponent("models/\(miniLM)/config.json")))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("tokenizer.json").path))
    }
}

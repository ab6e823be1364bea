import Foundation
import Testing
import TestSupport
@testable import Hub

// The cache is shared with Python both ways. Downloads through a static HTTP mirror (no commit,
// no ETag) must land where huggingface_hub looks: refs/main → snapshots/<commit>/ → blobs/<etag>,
// with a stable pseudo-commit and blobs named by their sha256 (the Hub's ETag for LFS files).
// What huggingface_hub finds there offline is asked of the library itself when a Python with it
// is at hand (Scripts/fixtures/hub_shared_cache_check.py) and otherwise read from
// Fixtures/hf_shared_cache.json, which that script recorded from this very tree.

private struct Check: Decodable, Equatable {
    struct Entry: Decodable, Equatable { var size: Int?; var text: String?; var link: String? }
    struct Snapshot: Decodable, Equatable { var folder: String?; var files: [String]?; var error: String? }
    var hfHubDownload: [String: String]
    var snapshotDownload: Snapshot
    var tree: [String: Entry]
}

private let config = Array("{\"hidden_size\": 384, \"model_type\": \"bert\"}\n".utf8)
private let weights = bytes(20_000, seed: 31)
private let asked = ["config.json", "model.safetensors", "tokenizer.json"]

/// The cache tree as the script records it (no lock files, no CACHEDIR.TAG).
private func recordedTree(_ root: URL) -> [String: Check.Entry] {
    var entries: [String: Check.Entry] = [:]
    for entry in tree(root) where !entry.hasPrefix(".locks/") && entry != "CACHEDIR.TAG" {
        let parts = entry.components(separatedBy: " -> ")
        let full = root.appendingPathComponent(parts[0])
        if parts.count == 2 {
            entries[parts[0]] = Check.Entry(link: parts[1])
        } else if parts[0].contains("/refs/") {
            entries[parts[0]] = Check.Entry(text: String(decoding: contents(full), as: UTF8.self))
        } else {
            entries[parts[0]] = Check.Entry(size: Int(Downloader.fileSize(full)))
        }
    }
    return entries
}

@Suite struct SharedCacheTests {
    @Test func httpMirrorDownloadsLandWhereHuggingfaceHubLooks() throws {
        let mirror = try TestHTTPServer()
        defer { mirror.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        mirror.file("/models/owner/tiny/config.json", config)          // a static server: no ETag, no commit
        mirror.file("/models/owner/tiny/model.safetensors", weights)
        let hub = testHub(cache: root, mirror: mirror.baseURL)

        let directory = try hub.snapshot(of: "owner/tiny", files: ["config.json", "model.safetensors", .optional("tokenizer.json")])

        let commit = Hub.pseudoCommit(repo: "owner/tiny", type: .model, revision: "main")
        #expect(Hub.isCommitHash(commit))
        #expect(directory.path == root.path + "/models--owner--tiny/snapshots/\(commit)")
        #expect(tree(root.appendingPathComponent("models--owner--tiny")) == [
            ".no_exist/\(commit)/tokenizer.json",
            "blobs/\(sha256(weights))",
            "blobs/\(sha256(config))",
            "refs/main",
            "snapshots/\(commit)/config.json -> ../../blobs/\(sha256(config))",
            "snapshots/\(commit)/model.safetensors -> ../../blobs/\(sha256(weights))",
        ].sorted())
        #expect(String(decoding: contents(root.appendingPathComponent("models--owner--tiny/refs/main")), as: UTF8.self) == commit)

        // To record the fixture: HUB_SHARED_CACHE_KEEP=<dir> keeps this tree for
        // Scripts/fixtures/hub_shared_cache_check.py <dir> model owner/tiny config.json model.safetensors tokenizer.json --record
        if let keep = ProcessInfo.processInfo.environment["HUB_SHARED_CACHE_KEEP"], !keep.isEmpty {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: root, to: URL(fileURLWithPath: keep))
        }
        // What huggingface_hub found offline in this tree, as recorded.
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/hf_shared_cache.json")
        let recorded = try JSONDecoder().decode(Check.self, from: Data(contentsOf: fixture))
        #expect(recordedTree(root) == recorded.tree, "the tree differs from the one huggingface_hub was shown")
        let snapshot = "models--owner--tiny/snapshots/\(commit)"
        #expect(recorded.hfHubDownload == ["config.json": "\(snapshot)/config.json",
                                           "model.safetensors": "\(snapshot)/model.safetensors",
                                           "tokenizer.json": "LocalEntryNotFoundError"])
        #expect(recorded.snapshotDownload == Check.Snapshot(folder: snapshot, files: ["config.json", "model.safetensors"]))

        // And the library itself, when it is installed.
        if let python = pythonWithHuggingfaceHub {
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Scripts/fixtures/hub_shared_cache_check.py").path
            let run = try runProcess(python.path, [script, root.path, "model", "owner/tiny"] + asked)
            #expect(run.status == 0)
            let live = try JSONDecoder().decode(Check.self, from: run.output)
            #expect(live.hfHubDownload == recorded.hfHubDownload)
            #expect(live.snapshotDownload == recorded.snapshotDownload)
        }
    }

    @Test func theHubThenReusesTheMirrorsBlobsAsHuggingfaceHubWould() throws {
        let mirror = try TestHTTPServer()
        defer { mirror.stop() }
        let hubServer = try TestHTTPServer()
        defer { hubServer.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        mirror.file("/models/owner/tiny/model.safetensors", weights)
        _ = try testHub(cache: root, mirror: mirror.baseURL).file("model.safetensors", in: "owner/tiny")

        // The Hub names an LFS blob by its sha256 (X-Linked-Etag): the blob is already there, so
        // only the HEAD is made; huggingface_hub checks blobs/<etag> the same way.
        let commit = "4444444444444444444444444444444444444444"
        hubServer.file("/owner/tiny/resolve/\(commit)/model.safetensors", weights, headers: [
            "X-Linked-Etag": "\"\(sha256(weights))\"", "X-Linked-Size": "\(weights.count)", "X-Repo-Commit": commit])
        var hub = testHub(cache: root, endpoint: hubServer.baseURL)
        hub.mirror = nil
        // A new commit on the Hub: the cache has no snapshot of it, so the Hub is asked.
        let url = try hub.file("model.safetensors", in: "owner/tiny", revision: commit)
        #expect(contents(url) == weights)
        #expect(hubServer.log.map(\.method) == ["HEAD"])
        #expect(url.path == root.path + "/models--owner--tiny/snapshots/\(commit)/model.safetensors")
    }
}

import Foundation
import Testing
import TestSupport
@testable import Hub

// The Swift cache must be interchangeable with Python's. Fixtures/hf_cache_reference.json
// (Scripts/fixtures/hub_reference_cache.py) records what huggingface_hub did against a stand-in Hub:
// the routes served, the requests made, the cache tree left behind. Here the same routes are
// served by the test server and the Swift Hub must leave the same tree and make the same
// requests. One known difference: after the dropped connection huggingface_hub restarted the
// body from byte 0 (its HTTP client gave it no partial bytes), while we resume with a Range.

private struct Reference: Decodable {
    struct File: Decodable {
        var size: Int
        var sha256: String
        var text: String?
        var pseudoRandom: PseudoRandom?
    }
    struct PseudoRandom: Decodable { var count: Int; var seed: UInt64 }
    struct Route: Decodable {
        var status: Int
        var headers: [String: String]
        var dropAfter: Int?
        var body: String?
    }
    struct Request: Decodable { var method: String; var path: String; var range: String?; var authorization: String? }
    struct Entry: Decodable { var size: Int?; var text: String?; var link: String? }

    var generator: String
    var commit: String
    var files: [String: File]
    var routes: [String: Route]
    var requests: [Request]
    var resolved: [String: String]
    var tree: [String: Entry]
}

@Suite struct ReferenceCacheTests {
    private func loadReference() throws -> Reference {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/hf_cache_reference.json")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    @Test func swiftCacheMatchesHuggingfaceHub() throws {
        let reference = try loadReference()
        let hubServer = try TestHTTPServer()
        defer { hubServer.stop() }
        let cdn = try TestHTTPServer()
        defer { cdn.stop() }
        let root = try temporaryDirectory()
        defer { cleanup(root) }

        var bodies: [String: [UInt8]] = [:]
        for (name, file) in reference.files {
            let body = file.text.map { Array($0.utf8) } ?? file.pseudoRandom.map { bytes($0.count, seed: $0.seed) } ?? []
            #expect(body.count == file.size && sha256(body) == file.sha256, "rebuilt \(name) differs from the fixture")
            bodies[name] = body
        }
        for (path, route) in reference.routes {
            let headers = route.headers.mapValues { $0.replacingOccurrences(of: "{cdn}", with: cdn.baseURL) }
            let served = TestHTTPServer.Route(status: route.status, body: route.body.flatMap { bodies[$0] } ?? [],
                                              headers: headers, dropAfter: route.dropAfter)
            (path.hasPrefix("/cdn/") ? cdn : hubServer).route(path, served)
        }
        var hub = testHub(cache: root, endpoint: hubServer.baseURL, retries: 2)
        hub.token = "hf_reference_token"

        var resolved: [String: String] = [:]
        func relative(_ url: URL) -> String { String(url.path.dropFirst(root.path.count + 1)) }
        resolved["config.json"] = relative(try hub.file("config.json", in: "owner/tiny"))
        resolved["model.safetensors"] = relative(try hub.file("model.safetensors", in: "owner/tiny"))
        resolved["tokenizer.json"] = try hub.fileIfPresent("tokenizer.json", in: "owner/tiny").map(relative) ?? "EntryNotFound"
        resolved["train.txt"] = relative(try hub.file("train.txt", in: "owner/set", type: .dataset))
        #expect(resolved == reference.resolved)

        // Same tree: paths, symlink targets, refs contents, blob sizes (CACHEDIR.TAG: presence only).
        let fm = FileManager.default
        var ours: [String: Reference.Entry] = [:]
        for entry in tree(root) where !entry.hasPrefix(".locks/") {
            let parts = entry.components(separatedBy: " -> ")
            let path = parts[0], full = root.appendingPathComponent(path)
            if parts.count == 2 {
                ours[path] = Reference.Entry(link: parts[1])
            } else if path.contains("/refs/") {
                ours[path] = Reference.Entry(text: String(decoding: contents(full), as: UTF8.self))
            } else {
                let size = (try? fm.attributesOfItem(atPath: full.path)[.size] as? NSNumber)?.intValue
                ours[path] = Reference.Entry(size: path == "CACHEDIR.TAG" ? nil : size)
            }
        }
        #expect(ours.keys.sorted() == reference.tree.keys.sorted())
        for (path, expected) in reference.tree {
            let mine = ours[path]
            #expect(mine?.link == expected.link, "\(path)")
            #expect(mine?.text == expected.text, "\(path)")
            if path != "CACHEDIR.TAG" { #expect(mine?.size == expected.size, "\(path)") }
        }

        // Same requests per server (method, path, token), apart from the Range of the resumed GET.
        let pythonHub = reference.requests.filter { !$0.path.hasPrefix("/cdn/") }
        let pythonCdn = reference.requests.filter { $0.path.hasPrefix("/cdn/") }
        #expect(hubServer.log.map { "\($0.method) \($0.path) \($0.authorization ?? "-")" }
            == pythonHub.map { "\($0.method) \($0.path) \($0.authorization ?? "-")" })
        #expect(cdn.log.map { "\($0.method) \($0.path) \($0.authorization ?? "-")" }
            == pythonCdn.map { "\($0.method) \($0.path) \($0.authorization ?? "-")" })
        #expect(cdn.log.map(\.range) == [nil, "bytes=30000-"])
    }
}

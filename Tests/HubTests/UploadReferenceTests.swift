import Foundation
import Testing
import TestSupport
@testable import Hub

// The Swift uploader must talk to the Hub as huggingface_hub does. Fixtures/hf_upload_reference.json
// (Scripts/fixtures/hub_upload_reference.py) records what HfApi.create_repo + upload_folder sent
// to a stand-in Hub that answers as TestHub does: a first push (repository created, two files
// through LFS by the server's preupload answer, three inline) and a second (409 on creation,
// objects already stored: no uploads). Here the Swift uploader pushes the same bytes to TestHub,
// and the requests are compared: order, method, path, whether the token was sent, and bodies
// (JSON and NDJSON lines as values, PUT bodies by sha256).
// One known difference: huggingface_hub checks README.md's metadata twice in a row (upload_folder,
// then create_commit); the Swift uploader checks it once, so repeated validate-yaml calls are
// counted once.

@Suite struct UploadReferenceTests {
    /// A request reduced to what both sides are compared on.
    struct Seen: Equatable, CustomStringConvertible {
        var method: String
        var path: String
        var authorized: Bool
        var body: String
        var description: String { "\(method) \(path) auth=\(authorized) \(body.prefix(160))" }
    }

    static func canonical(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "\(value)"
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func collapsed(_ list: [Seen]) -> [Seen] {
        var out: [Seen] = []
        for item in list where !(item.path == "/api/validate-yaml" && out.last == item) { out.append(item) }
        return out
    }

    @Test func swiftUploadMakesHuggingfaceHubsRequests() throws {
        let url = TestPaths.fixtures().appendingPathComponent("hf_upload_reference.json")
        let fixture = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let token = try #require(fixture["token"] as? String)
        let encoded = try #require(fixture["files"] as? [String: String])

        func python(_ key: String) throws -> [Seen] {
            let entries = try #require(fixture[key] as? [[String: Any]])
            return entries.map { entry in
                let body: String
                if let lines = entry["ndjson"] as? [Any] { body = lines.map(Self.canonical).joined(separator: "\n") }
                else if let json = entry["json"] { body = Self.canonical(json) }
                else { body = entry["bodySha256"] as? String ?? "" }
                return Seen(method: entry["method"] as? String ?? "", path: entry["path"] as? String ?? "",
                            authorized: entry["authorized"] as? Bool ?? false, body: body)
            }
        }
        func swift(_ requests: ArraySlice<TestHTTPServer.Request>) -> [Seen] {
            requests.map { request in
                let body: String
                if request.headers["content-type"] == "application/x-ndjson" {
                    body = ndjson(request).map(Self.canonical).joined(separator: "\n")
                } else if request.method == "POST", !request.body.isEmpty,
                          let json = try? JSONSerialization.jsonObject(with: Data(request.body)) {
                    body = Self.canonical(json)
                } else {
                    body = request.body.isEmpty ? "" : sha256(request.body)
                }
                return Seen(method: request.method, path: request.path, authorized: request.authorization == "Bearer \(token)",
                            body: body)
            }
        }

        let hub = try TestHub(token: token)
        defer { hub.stop() }
        hub.lfsThreshold = fixture["lfsThreshold"] as? Int ?? 10_000
        let root = try temporaryDirectory()
        defer { cleanup(root) }
        for (path, base64) in encoded {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try #require(Data(base64Encoded: base64)).write(to: file)
        }
        let uploader = testUploader(hub, token: token)

        try uploader.createRepo("me/tiny", private: true)
        try uploader.uploadFolder(root, to: "me/tiny", commitMessage: "Upload model")
        let first = hub.log.count
        try uploader.createRepo("me/tiny", private: true)
        try uploader.uploadFolder(root, to: "me/tiny", commitMessage: "Upload again")
        let log = hub.log

        let expectedFirst = Self.collapsed(try python("first")), expectedAgain = Self.collapsed(try python("again"))
        let gotFirst = swift(log[..<first]), gotAgain = swift(log[first...])
        #expect(gotFirst.count == expectedFirst.count, "\(gotFirst.map(\.description))")
        for (got, expected) in zip(gotFirst, expectedFirst) { #expect(got == expected) }
        #expect(gotAgain.count == expectedAgain.count, "\(gotAgain.map(\.description))")
        for (got, expected) in zip(gotAgain, expectedAgain) { #expect(got == expected) }
        #expect(hub.repos["me/tiny"]?.mapValues { Data($0).base64EncodedString() } == encoded)
    }
}

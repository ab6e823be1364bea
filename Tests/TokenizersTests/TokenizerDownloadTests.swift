import Foundation
import Hub
import Testing
import TestSupport
@testable import Tokenizers

/// `fromPretrained` from an HTTP mirror that fails: only a file the mirror says is absent (404)
/// may fall back to vocab.txt; a 500 or a dropped connection is an error naming what was tried.
@Suite struct TokenizerDownloadTests {
    static let cased = Fixtures.url("mini/cased")

    /// A mirror serving the cased fixture (vocab.txt, tokenizer_config.json) as `owner/cased`,
    /// with `tokenizer.json` answered by `tokenizerJSON` (nil: 404).
    func mirror(tokenizerJSON: TestHTTPServer.Route?, config: TestHTTPServer.Route? = nil) throws -> (TestHTTPServer, Hub, URL) {
        let server = try TestHTTPServer()
        for name in ["vocab.txt", "tokenizer_config.json"] {
            let body = Array(try Data(contentsOf: Self.cased.appendingPathComponent(name)))
            server.route("/models/owner/cased/\(name)", TestHTTPServer.Route(body: body))
        }
        if let config { server.route("/models/owner/cased/tokenizer_config.json", config) }
        if let tokenizerJSON { server.route("/models/owner/cased/tokenizer.json", tokenizerJSON) }
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("tokdl-\(UUID().uuidString)")
        var hub = Hub(mirror: server.baseURL, cacheDirectory: cache, endpoint: "http://127.0.0.1:9", offline: false,
                      environment: [:])
        hub.showProgress = false
        hub.retries = 0
        hub.timeout = 5
        return (server, hub, cache)
    }

    @Test func serverErrorForTokenizerJSONIsNotAFallback() throws {
        let (server, hub, cache) = try mirror(tokenizerJSON: TestHTTPServer.Route(status: 500, body: Array("busy".utf8)))
        defer { server.stop(); try? FileManager.default.removeItem(at: cache) }
        let error = #expect(throws: TokenizerError.self) { try Tokenizer.fromPretrained("owner/cased", hub: hub) }
        let text = error?.description ?? ""
        #expect(text.contains("cannot load the tokenizer of 'owner/cased'"), "\(text)")
        #expect(text.contains("tokenizer.json answered HTTP 500"), "\(text)")
    }

    @Test func droppedConnectionForTheConfigIsNotAFallback() throws {
        let body = Array(try Data(contentsOf: Self.cased.appendingPathComponent("tokenizer_config.json")))
        let (server, hub, cache) = try mirror(tokenizerJSON: nil,
                                              config: TestHTTPServer.Route(body: body, dropAfter: 5, drops: 10))
        defer { server.stop(); try? FileManager.default.removeItem(at: cache) }
        let error = #expect(throws: TokenizerError.self) { try Tokenizer.fromPretrained("owner/cased", hub: hub) }
        #expect(error?.description.contains("tokenizer_config.json") == true, "\(error?.description ?? "")")
    }

    @Test func absentTokenizerJSONFallsBackToVocabWithItsConfig() throws {
        let (server, hub, cache) = try mirror(tokenizerJSON: nil)
        defer { server.stop(); try? FileManager.default.removeItem(at: cache) }
        let fromMirror = try Tokenizer.fromPretrained("owner/cased", hub: hub)
        let local = try Tokenizer.fromPretrained(Self.cased.path)
        let text = "Hello World, Straße!"
        #expect(try fromMirror.encode(text) == local.encode(text))
        // tokenizer_config.json was applied (cased, maximum length 512), not the vocab.txt defaults.
        #expect(fromMirror.modelMaxLength == 512)
        #expect(try fromMirror.tokenize(text) != Tokenizer(vocabFile: Self.cased.appendingPathComponent("vocab.txt")).tokenize(text))
    }

    @Test func emptyVocabIsBlamedOnVocabTxt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tokempty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data().write(to: dir.appendingPathComponent("vocab.txt"))
        let error = #expect(throws: TokenizerError.self) { try Tokenizer.fromPretrained(dir.path) }
        #expect(error?.description.contains("vocab.txt is empty") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("tokenizer_config") == false)
    }
}

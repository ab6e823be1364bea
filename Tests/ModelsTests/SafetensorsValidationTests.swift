import Foundation
@testable import Models
import Tensor
import Testing

/// Header validation against damaged and hostile safetensors files: every tensor must own its
/// bytes (no overlap, no alias, no gap, nothing left over) and size arithmetic must not wrap.
@Suite struct SafetensorsValidationTests {
    /// A file with this JSON header and `dataBytes` bytes of data (the values 0, 1, 2, ...).
    func file(_ header: String, dataBytes: Int) throws -> URL {
        let url = try temporaryDirectory().appendingPathComponent("w.safetensors")
        let json = Data(header.utf8)
        var bytes = Data()
        var size = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &size) { bytes.append(contentsOf: $0) }
        bytes.append(json)
        bytes.append(Data((0..<dataBytes).map { UInt8(truncatingIfNeeded: $0) }))
        try bytes.write(to: url)
        return url
    }

    func message(_ url: URL) -> String {
        do { _ = try Safetensors.read(url) } catch { return "\(error)" }
        return "no error"
    }

    @Test func aliasedTensorsAreRejected() throws {
        // Both tensors point at the same 16 bytes: the model would run with a = b.
        let url = try file(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"#
            + #""b":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, dataBytes: 16)
        let text = message(url)
        #expect(text.contains("'a' and 'b' share bytes"), "\(text)")
        #expect(text.contains(url.path))
    }

    @Test func overlappingTensorsAreRejected() throws {
        let url = try file(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"#
            + #""b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#, dataBytes: 24)
        #expect(message(url).contains("'a' and 'b' share bytes (data_offsets overlap at 8..<16)"), "\(message(url))")
    }

    @Test func gapsAndUncoveredBytesAreRejected() throws {
        let gap = try file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
            + #""b":{"dtype":"F32","shape":[2],"data_offsets":[16,24]}}"#, dataBytes: 24)
        #expect(message(gap).contains("bytes 8..<16 of the data belong to no tensor (a gap before 'b')"), "\(message(gap))")
        let trailing = try file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, dataBytes: 16)
        #expect(message(trailing).contains("cover 8 bytes of data but the file holds 16"), "\(message(trailing))")
        let reversed = try file(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, dataBytes: 8)
        #expect(message(reversed).contains("0 ≤ begin ≤ end"), "\(message(reversed))")
    }

    @Test func overflowingShapeIsRejectedNamingTensorAndShape() throws {
        // 2^62 × 4 elements × 4 bytes wraps to 0 in 64 bits: it matched offsets [0, 0] before.
        let url = try file(#"{"huge":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}"#, dataBytes: 0)
        let text = message(url)
        #expect(text.contains("tensor 'huge' has shape [4611686018427387904, 4]"), "\(text)")
        #expect(text.contains("overflows"), "\(text)")
    }

    @Test func negativeAndNonIntegerDimensionsAreRejected() throws {
        // (-2) × (-2) × 4 = 16 bytes: the product alone would look right.
        let negative = try file(#"{"n":{"dtype":"F32","shape":[-2,-2],"data_offsets":[0,16]}}"#, dataBytes: 16)
        #expect(message(negative).contains("tensor 'n' has shape [-2, -2], with a negative dimension"), "\(message(negative))")
        let fraction = try file(#"{"f":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, dataBytes: 4)
        #expect(message(fraction).contains("lacks dtype, shape (a list of integers)"), "\(message(fraction))")
        let huge = try file(#"{"h":{"dtype":"F32","shape":[1e30],"data_offsets":[0,4]}}"#, dataBytes: 4)
        #expect(message(huge).contains("lacks dtype, shape"), "\(message(huge))")
    }

    @Test func validFileWithEmptyAndTouchingTensorsLoads() throws {
        let url = try file(#"{"__metadata__":{"format":"pt"},"e":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"#
            + #""a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"I64","shape":[1],"data_offsets":[4,12]}}"#,
            dataBytes: 12)
        let parsed = try Safetensors.read(url)
        #expect(parsed.entries.count == 3 && parsed.metadata == ["format": "pt"])
        #expect(try parsed.tensor("e").shape == [0, 3])
        let a = try parsed.tensor("a").scalars[0].bitPattern
        #expect(a == 0x0302_0100)
    }

    @Test func nonStringMetadataIsRejected() throws {
        let url = try file(#"{"__metadata__":{"step":3}}"#, dataBytes: 0)
        #expect(message(url).contains("__metadata__ is not a map of strings"), "\(message(url))")
    }
}

/// config.json mistakes that used to point the wrong way.
@Suite struct ConfigMessageTests {
    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    @Test func missingHiddenSizeIsNamedWhenTheWeightsDisagree() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try BertModel(config: tinyConfig(labels: 2), seed: 3).savePretrained(dir.path)
        let url = dir.appendingPathComponent("config.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        object["hidden_size"] = nil
        object["num_attention_heads"] = nil
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        let text = message { _ = try BertModel.fromPretrained(dir.path) }
        #expect(text.contains("config.json has no hidden_size, num_attention_heads, so BERT-base defaults were used"), "\(text)")
    }

    @Test func fileNameIsNotRepeated() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("config.json")
        try Data(#"{"hidden_act": "relu"}"#.utf8).write(to: url)
        let text = message { _ = try BertConfig.load(url) }
        #expect(text == "\(url.path): hidden_act 'relu' is not supported; this toolkit implements 'gelu' (exact erf form)")
    }

    @Test func damagedCachedWeightsSayWhatToDelete() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let repo = root.appendingPathComponent("models--owner--tiny")
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("blobs"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("snapshots/main"), withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: repo.appendingPathComponent("blobs/abc"))
        let link = repo.appendingPathComponent("snapshots/main/model.safetensors")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "../../blobs/abc")
        let text = message { _ = try Safetensors.read(link) }
        #expect(text.contains("delete \(repo.path)/blobs/abc and \(link.path), then run again"), "\(text)")
    }

    @Test func flatBatchSizeOverflowIsRejected() throws {
        // 2^32 × 2^32 wraps to 0 in 64 bits: it matched an empty inputIds before.
        #expect(throws: ModelError.self) { try BertInput(batchSize: 1 << 32, sequenceLength: 1 << 32, inputIds: []) }
    }
}

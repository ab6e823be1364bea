import Foundation
import TestSupport
@testable import Models
import Tensor

/// Fixture files next to this test file (found through #filePath, not Bundle.module).
func fixtureURL(_ name: String) -> URL { TestPaths.fixtures().appendingPathComponent(name) }

/// The real-data mirror and the course's model in it (TestSupport); nil when absent.
let mirrorRoot: URL? = TestPaths.mirror
let miniLMDirectory: URL? = TestPaths.miniLM

/// A gradient fixture written by Scripts/fixtures/engine_make_fixtures.py.
struct GradientFixture: Decodable {
    let input_ids: [[Int]]
    let attention_mask: [[Int]]
    let token_type_ids: [[Int]]
    let loss: Float
    let logits: [Float]
    let logits_shape: [Int]
    let grads: [String: [Float]]

    static func load(_ name: String) throws -> GradientFixture {
        try JSONDecoder().decode(GradientFixture.self, from: Data(contentsOf: fixtureURL(name)))
    }

    func input() throws -> BertInput {
        try BertInput(inputIds: input_ids, attentionMask: attention_mask, tokenTypeIds: token_type_ids)
    }
}

/// The tiny random BERT the fixtures use (dropout off so PyTorch's train mode is deterministic).
func tinyConfig(labels: Int) -> BertConfig {
    BertConfig(vocabSize: 64, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 64,
               maxPositionEmbeddings: 16, typeVocabSize: 2, hiddenDropoutProb: 0, attentionProbsDropoutProb: 0,
               numLabels: labels)
}

/// max |a − b| / max |b| (relative to the reference tensor's scale). The scale has a floor of
/// 1e-6 because some gradients are zero in exact arithmetic (the attention key bias shifts every
/// score of a softmax row equally), and there both sides hold only rounding noise (~1e-12).
func relativeError(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "sizes differ: \(a.count) vs \(b.count)")
    var diff: Float = 0, scale: Float = 0
    for i in 0..<a.count { diff = max(diff, abs(a[i] - b[i])); scale = max(scale, abs(b[i])) }
    return diff / max(scale, 1e-6)
}

func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory() throws -> URL { try TestPaths.temporaryDirectory("engine-tests") }

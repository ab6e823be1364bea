import Foundation
@testable import Models
import Tensor
import Testing

/// Input validation, train/eval modes and dropout determinism of the task models.
@Suite struct BertModelTests {
    func message(of body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    @Test func badInputsAreClearErrors() throws {
        let model = BertForTokenClassification(config: tinyConfig(labels: 5))
        #expect(message { _ = try BertInput(inputIds: [[1, 2, 3], [1, 2]]) }.contains("pad the batch"))
        #expect(message { _ = try BertInput(inputIds: []) }.contains("empty"))
        #expect(message { _ = try model(BertInput(inputIds: [[1, 64]])) }.contains("outside the vocabulary 0..<64"))
        #expect(message { _ = try model(BertInput(inputIds: [Array(repeating: 1, count: 17)])) }
            .contains("exceed max_position_embeddings 16"))
        #expect(message { _ = try model(BertInput(inputIds: [[1, 2]], tokenTypeIds: [[0, 2]])) }.contains("token type id 2"))
        #expect(message { _ = try model(BertInput(inputIds: [[1, 2]]), labels: [[0, 5]]) }.contains("label 5"))
        #expect(message { _ = try model(BertInput(inputIds: [[1, 2]]), labels: [[0]]) }.contains("pad them with -100"))
        #expect(message { try model.backward() }.contains("needs a forward pass with labels"))
        let seq = BertForSequenceClassification(config: tinyConfig(labels: 3))
        #expect(message { _ = try seq(BertInput(inputIds: [[1, 2]]), labels: [0, 1]) }.contains("2 labels for 1 predictions"))
    }

    @Test func evalModeIsDeterministicAndTrainModeDropsOut() throws {
        var config = tinyConfig(labels: 3)
        config.hiddenDropoutProb = 0.2
        config.attentionProbsDropoutProb = 0.2
        let model = BertForSequenceClassification(config: config, seed: 3)
        let input = try BertInput(inputIds: [[2, 17, 33, 9], [2, 8, 60, 0]], attentionMask: [[1, 1, 1, 1], [1, 1, 1, 0]])
        model.eval()
        let a = try model(input).logits.scalars, b = try model(input).logits.scalars
        #expect(a == b)
        // With dropout off, eval equals the same weights with dropout probabilities 0.
        let plain = BertForSequenceClassification(config: tinyConfig(labels: 3), seed: 3)
        for (p, q) in zip(plain.parameters, model.parameters) { try p.value.copy(from: q.value) }
        #expect(try plain(input).logits.scalars == a)
        model.train()
        let t1 = try model(input).logits.scalars, t2 = try model(input).logits.scalars
        #expect(t1 != a && t1 != t2) // fresh masks each training step
    }

    /// With dropout on, backward is the gradient of the loss the forward computed (same masks):
    /// replaying the masks (same seed, first step), the loss changes by −ε·|g|² along −g.
    @Test func dropoutBackwardUsesTheForwardMasks() throws {
        var config = tinyConfig(labels: 5)
        config.hiddenDropoutProb = 0.3
        config.attentionProbsDropoutProb = 0.3
        let fx = try GradientFixture.load("tiny_token.json")
        let labels = [[1, 2, 0, 4, 3, 1, 0, 0], [0, 1, 2, 3, 4, 0, 1, 2], [3, 4, 2, 0, 2, 1, 1, 0]]
        let model = BertForTokenClassification(config: config, seed: 11)
        model.train()
        let out = try model(fx.input(), labels: labels)
        try out.backward()
        let base = try #require(out.loss)
        var g2: Double = 0
        for p in model.parameters { for g in p.grad.scalars { g2 += Double(g) * Double(g) } }
        let eps: Float = 1e-2 / Float(g2.squareRoot())
        let replay = BertForTokenClassification(config: config, seed: 11)
        for (p, q) in zip(replay.parameters, model.parameters) {
            for i in 0..<p.value.count { p.value.data[i] = q.value.data[i] - eps * q.grad.data[i] }
        }
        replay.train()
        let moved = try #require(try replay(fx.input(), labels: labels).loss)
        let predicted = -Double(eps) * g2
        let actual = Double(moved - base)
        #expect(abs(actual - predicted) <= 0.1 * abs(predicted), "actual \(actual) predicted \(predicted)")
    }

    @Test func encoderOutputShapes() throws {
        let model = BertModel(config: tinyConfig(labels: 2))
        let out = try model.forward(BertInput(inputIds: [[1, 2, 3], [4, 5, 6]]))
        #expect(out.lastHiddenState.shape == [2, 3, 32])
        #expect(out.poolerOutput?.shape == [2, 32])
        #expect(try #require(out.poolerOutput).scalars.allSatisfy { abs($0) < 1 })
        // A larger batch after a smaller one grows the workspace transparently.
        let big = try model.forward(BertInput(inputIds: Array(repeating: Array(1...12), count: 5)))
        #expect(big.lastHiddenState.shape == [5, 12, 32])
        // Shapes that trade batch for length settle on one workspace grown to the maximum of each.
        let long = try BertInput(inputIds: Array(repeating: Array(1...16), count: 2))
        let short = try BertInput(inputIds: Array(repeating: Array(1...6), count: 10))
        _ = try model.forward(long)
        _ = try model.forward(short)
        let grown = try #require(model.workspaceCapacity)
        #expect(grown.tokens >= 60 && grown.batch >= 10 && grown.attention >= 2 * 4 * 16 * 16)
        _ = try model.forward(long)
        let wide = try model.forward(short)
        #expect(wide.lastHiddenState.shape == [10, 6, 32])
        #expect(try #require(model.workspaceCapacity) == grown)
        // The same input gives the same output whatever buffers it ran in.
        let again = try BertModel(config: tinyConfig(labels: 2)).forward(BertInput(inputIds: Array(repeating: Array(1...6), count: 10)))
        #expect(again.lastHiddenState.scalars == wide.lastHiddenState.scalars)
    }
    /// Without gradients an eval forward runs through one layer's buffers: the same bits as the
    /// recording forward (token and sequence heads, with padding and a loss), no training
    /// workspace, and backward afterwards is a clear error.
    @Test func noGradInferenceMatchesTheRecordingForward() throws {
        let input = try BertInput(inputIds: [[2, 17, 33, 9, 5], [2, 8, 60, 0, 0]],
                                  attentionMask: [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
        let token = BertForTokenClassification(config: tinyConfig(labels: 5), seed: 7)
        let seq = BertForSequenceClassification(config: tinyConfig(labels: 3), seed: 7)
        token.eval(); seq.eval()
        let labels = [[1, 2, 0, 4, 3], [0, 1, 2, -100, -100]]
        let lean = try token.withNoGrad { try token(input, labels: labels) }
        #expect(token.bert.workspaceCapacity == nil)
        #expect(message { try lean.backward() }.contains("the last one ran inside withNoGrad"))
        let recorded = try token(input, labels: labels)
        #expect(lean.logits.scalars == recorded.logits.scalars && lean.loss == recorded.loss)
        try recorded.backward() // the recording forward still trains
        let leanSeq = try seq.withNoGrad { try seq(input, labels: [1, 2]) }
        let recordedSeq = try seq(input, labels: [1, 2])
        #expect(leanSeq.logits.scalars == recordedSeq.logits.scalars && leanSeq.loss == recordedSeq.loss)
        let hidden = try seq.bert.withNoGrad { try seq.bert.forward(input) }
        let hiddenRecorded = try seq.bert.forward(input)
        #expect(hidden.lastHiddenState.scalars == hiddenRecorded.lastHiddenState.scalars)
        #expect(hidden.poolerOutput?.scalars == hiddenRecorded.poolerOutput?.scalars)
        #expect(seq.bert.gradEnabled)
    }
}

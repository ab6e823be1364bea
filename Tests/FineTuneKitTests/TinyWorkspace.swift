import FineTuneKit
import Foundation
import Models
import TestSupport

/// A temporary folder with a tiny random BERT checkpoint (2 layers, hidden 32, 16 positions, a
/// 40-word lowercase vocabulary) and helpers to write small data files beside it.
struct TinyWorkspace {
    let root: URL
    /// The checkpoint directory (config.json, model.safetensors, vocab.txt).
    var model: String { root.appendingPathComponent("tiny-bert").path }
    /// A path inside the workspace.
    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    static let words = ["good", "bad", "great", "awful", "movie", "film", "plot", "the", "a", "was", "is", "not",
                        "very", "fine", "dull", "john", "paris", "lives", "in", "works", "at", "acme", "mary", "visited",
                        "london", "berlin", "smith", "corp", "and", "today"]

    /// `dropout`: the checkpoint's dropout (0 for runs compared number for number).
    init(dropout: Float = 0.1) throws {
        root = try TestPaths.temporaryDirectory("finetune-tests")
        let dir = root.appendingPathComponent("tiny-bert")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + Self.words
        try (vocab.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("vocab.txt"), atomically: true,
                                                          encoding: .utf8)
        let config = BertConfig(vocabSize: vocab.count, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4,
                                intermediateSize: 64, maxPositionEmbeddings: 16, hiddenDropoutProb: dropout,
                                attentionProbsDropoutProb: dropout, numLabels: 2)
        // The encoder only: a head is drawn afresh for each run's classes, as for a real checkpoint.
        try BertModel(config: config, seed: 3).savePretrained(dir.path)
    }

    /// Writes `text` to `name` in the workspace and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = root.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// A CSV of `n` sentence pairs labelled by whether the first word is positive.
    func sentimentCSV(_ name: String, rows n: Int, offset: Int = 0) throws -> String {
        let positive = ["good", "great", "fine"], negative = ["bad", "awful", "dull"]
        var lines = ["sentence1,sentence2,label"]
        for i in 0..<n {
            let pos = (i + offset) % 2 == 0
            let word = (pos ? positive : negative)[(i + offset) % 3]
            lines.append("the movie was \(word),the plot is \(pos ? "fine" : "dull"),\(pos ? "positive" : "negative")")
        }
        return try write(name, lines.joined(separator: "\n") + "\n")
    }

    /// JSON Lines of `n` tagged sentences (tokens / ner_tags as tag names).
    func nerJSONL(_ name: String, rows n: Int) throws -> String {
        let sentences: [([String], [String])] = [
            (["john", "lives", "in", "paris"], ["B-PER", "O", "O", "B-LOC"]),
            (["mary", "smith", "works", "at", "acme", "corp"], ["B-PER", "I-PER", "O", "O", "B-ORG", "I-ORG"]),
            (["john", "visited", "london", "and", "berlin"], ["B-PER", "O", "B-LOC", "O", "B-LOC"]),
        ]
        let lines = (0..<n).map { i -> String in
            let (tokens, tags) = sentences[i % sentences.count]
            func list(_ xs: [String]) -> String { "[" + xs.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
            return "{\"tokens\": \(list(tokens)), \"ner_tags\": \(list(tags))}"
        }
        return try write(name, lines.joined(separator: "\n") + "\n")
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// Runs `finetune` in-process; returns the exit status, stdout lines and stderr lines.
    static func run(_ arguments: [String]) -> (status: Int32, out: [String], err: [String]) {
        nonisolated(unsafe) var out: [String] = []
        nonisolated(unsafe) var err: [String] = []
        let status = FineTuneCommand.main(arguments, printLine: { out.append($0) }, errorLine: { err.append($0) })
        return (status, out, err)
    }
}

import ArgumentParser
import Foundation
import FineTuning

// `bench data`: how fast the CoNLL-2003 train split loads (and is tokenized and aligned, the
// chapter's data path) and how fast seqeval scores the validation split, beside the Python
// libraries measured in the same run (Scripts/bench/data_bench.py).
//   swift build -c release --product bench && .build/release/bench data [--json]

struct BenchData: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "CoNLL-2003 loading and seqeval throughput, beside Python (plain reader, seqeval 1.2.2).")

    @Flag(help: "One JSON object per line per configuration.") var json = false
    @Option(help: "The data mirror (default: $COURSE_MIRROR, else ../shared/mirror).") var mirror: String?
    @Option(help: "Timed repetitions of each measurement (the median is reported).") var repeats = 5
    @Option(help: "Python with seqeval for the reference timings (default: $COURSE_PYTHON, .venv, python3; \"none\" skips them).")
    var python = ReferencePython.defaultPath
    @Option(help: "Tokenizer checkpoint for the tokenize + align measurement.") var model = "sentence-transformers/all-MiniLM-L6-v2"

    func run() throws {
        guard repeats > 0 else { throw ValidationError("--repeats must be at least 1") }
        let root = mirror ?? ProcessInfo.processInfo.environment["COURSE_MIRROR"] ?? "../shared/mirror"
        let hub = Hub(mirror: root)
        let trainURL = try hub.file("train.txt", in: "conll2003", type: .dataset)
        let validURL = try hub.file("valid.txt", in: "conll2003", type: .dataset)

        // Loading: file bytes to a typed Dataset with label ids.
        var train: Dataset?
        let loadMs = try timings(repeats) { train = try CoNLL2003.read(trainURL) }
        let trainRows = train?.numRows ?? 0
        let trainTokens = try train?[column: "tokens"].reduce(0) { $0 + (try $1.listValue.count) } ?? 0

        // seqeval: validation references against predictions with every 7th token changed.
        let valid = try CoNLL2003.read(validURL)
        let names = CoNLL2003.nerNames
        let refs = try valid[column: "ner_tags"].map { try $0.intList.map { names[$0] } }
        var k = 0
        let preds = refs.map { s in
            s.map { tag -> String in
                defer { k += 1 }
                return k % 7 == 3 ? (tag == "O" ? "B-MISC" : "O") : tag
            }
        }
        var f1 = 0.0
        let f1Ms = try timings(repeats) {
            var metric = Seqeval()
            f1 = try metric.compute(predictions: preds, references: refs).overallF1 ?? 0
        }
        let reportMs = try timings(repeats) { _ = try classificationReport(references: refs, predictions: preds, digits: 4) }

        // The chapter's data path end to end: load train, tokenize the pre-split words, align
        // the labels with the word ids (every sub-token labelled, B- becoming I- after the
        // first, -100 on special tokens).
        let tokenizer = try Tokenizer.fromPretrained(model)
        var alignedTokens = 0
        let pipelineMs = try timings(repeats) {
            let data = try CoNLL2003.read(trainURL)
            let words = try data[column: "tokens"].map { try $0.stringList }
            let tags = try data[column: "ner_tags"].map { try $0.intList }
            let batch = try tokenizer(words, isSplitIntoWords: true)
            var count = 0
            for (encoding, labels) in zip(batch.encodings, tags) {
                let aligned = BenchData.alignLabels(labels, wordIds: encoding.wordIds())
                count += aligned.count
            }
            alignedTokens = count
        }

        let py = ReferencePython.resolve(python) == nil ? nil : try pythonReference(root)
        if let py, let pf1 = py["f1"] as? Double, pf1 != f1 {
            FileHandle.standardError.write(Data("warning: Python f1 \(pf1) differs from Swift f1 \(f1)\n".utf8))
        }
        let tokensVal = refs.reduce(0) { $0 + $1.count }
        report("conll2003 train load", ms: loadMs, python: py?["load_ms"] as? [Double],
               unit: "tokens/s", count: trainTokens, extra: "\(trainRows) sentences, \(trainTokens) tokens")
        report("conll2003 train load + tokenize + align", ms: pipelineMs, python: py?["pipeline_ms"] as? [Double],
               unit: "words/s", count: trainTokens, extra: "\(alignedTokens) labelled tokens")
        if let pyTokens = py?["aligned_tokens"] as? Int, pyTokens != alignedTokens {
            FileHandle.standardError.write(Data("warning: Python aligned \(pyTokens) tokens, Swift \(alignedTokens)\n".utf8))
        }
        report("seqeval f1 (validation)", ms: f1Ms, python: py?["f1_ms"] as? [Double],
               unit: "tokens/s", count: tokensVal, extra: "\(refs.count) sentences, f1 \(f1)")
        report("seqeval classification report", ms: reportMs, python: py?["report_ms"] as? [Double],
               unit: "tokens/s", count: tokensVal, extra: "digits 4")
    }

    /// Labels per token: the word's label on every sub-token (an inside label after the first:
    /// odd CoNLL ids are B-, the next id is its I-), -100 on special tokens.
    static func alignLabels(_ labels: [Int], wordIds: [Int?]) -> [Int] {
        var previous: Int?
        return wordIds.map { word -> Int in
            defer { previous = word }
            guard let word else { return -100 }
            let label = labels[word]
            return word == previous && label % 2 == 1 ? label + 1 : label
        }
    }

    /// Wall-clock milliseconds of `repeats` runs of `body`.
    func timings(_ repeats: Int, _ body: () throws -> Void) throws -> [Double] {
        try (0..<repeats).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        }
    }

    func pythonReference(_ root: String) throws -> [String: Any]? {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scripts/bench/data_bench.py")
        guard FileManager.default.fileExists(atPath: script.path) else {
            FileHandle.standardError.write(Data("note: \(script.path) missing; no Python reference\n".utf8))
            return nil
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [python, script.path, root, String(repeats), model]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw ValidationError("\(script.path) failed (exit \(p.terminationStatus))") }
        return try JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    func report(_ name: String, ms: [Double], python: [Double]?, unit: String, count: Int, extra: String) {
        let m = median(ms)
        let pm = python.map(median)
        if json {
            var fields = ["\"bench\": \"data\"", "\"name\": \"\(name)\"", "\"median_ms\": \(m)",
                          "\"min_ms\": \(ms.min() ?? m)", "\"max_ms\": \(ms.max() ?? m)",
                          "\"\(unit.replacingOccurrences(of: "/", with: "_per_"))\": \(Double(count) / m * 1000)"]
            if let pm { fields.append("\"python_median_ms\": \(pm)") }
            print("{" + fields.joined(separator: ", ") + "}")
        } else {
            let speed = String(format: "%.0f %@", Double(count) / m * 1000, unit)
            let padded = name.padding(toLength: max(30, name.count), withPad: " ", startingAt: 0)
            var line = padded + String(format: " %9.1f ms (min %.1f, max %.1f)  ", m, ms.min() ?? m, ms.max() ?? m) + speed
            if let pm { line += String(format: "   python %.1f ms (%.1fx)", pm, pm / m) }
            print(line + "   [\(extra)]")
        }
    }
}

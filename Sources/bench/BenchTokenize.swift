import ArgumentParser
import Foundation
import FineTuning

/// `bench tokenize`: words/s encoding the whole CoNLL-2003 train split as pre-split words with
/// word ids, single thread, beside the Python fast tokenizer (Rust `tokenizers` behind
/// `transformers`) on the same input, measured in the same run. Best of `--repeats` runs each.
struct BenchTokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Words/s tokenizing CoNLL-2003 train as pre-split words with word ids, vs the Python fast tokenizer.")

    @Flag(help: "One JSON object per line per configuration.") var json = false
    @Option(help: "Checkpoint name or directory.") var model = "sentence-transformers/all-MiniLM-L6-v2"
    @Option(help: "Timed runs per configuration (the best is reported).") var repeats = 3
    @Option(help: "Python with transformers for the reference (default: $COURSE_PYTHON, .venv, python3; \"none\" skips it).")
    var python = ReferencePython.defaultPath

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
    }

    func run() throws {
        let trainURL = try Hub.shared.file("train.txt", in: "conll2003", type: .dataset)
        let sentences = try readConllWords(trainURL)
        let words = sentences.reduce(0) { $0 + $1.count }
        let tokenizer = try Tokenizer.fromPretrained(model)

        var best = Double.infinity
        var tokens = 0
        for _ in 0..<repeats {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let batch = try tokenizer(sentences, isSplitIntoWords: true)
            var n = 0
            for e in batch { n += e.wordIds().count }
            let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            best = min(best, dt)
            tokens = n
        }
        let swiftRate = Double(words) / best
        report("swift", words: words, tokens: tokens, seconds: best)

        guard ReferencePython.resolve(python) != nil else { return }
        let py = try runPython(trainURL: trainURL)
        report("python-transformers-fast", words: words, tokens: py.tokens, seconds: py.seconds)
        report("python-tokenizers-rust", words: words, tokens: py.rawTokens, seconds: py.rawSeconds)
        let ratio = swiftRate / (Double(words) / py.seconds)
        let rawRatio = swiftRate / (Double(words) / py.rawSeconds)
        if json {
            print(#"{"bench":"tokenize","config":"ratio","swift_over_transformers":\#(String(format: "%.3f", ratio)),"swift_over_rust":\#(String(format: "%.3f", rawRatio))}"#)
        } else {
            print(String(format: "ratio swift / transformers fast tokenizer: %.2fx; swift / Rust encode_batch: %.2fx", ratio, rawRatio))
        }
    }

    private func report(_ name: String, words: Int, tokens: Int, seconds: Double) {
        let rate = Double(words) / seconds
        if json {
            print(#"{"bench":"tokenize","config":"\#(name)","words":\#(words),"tokens":\#(tokens),"seconds":\#(String(format: "%.4f", seconds)),"words_per_s":\#(Int(rate))}"#)
        } else {
            print(String(format: "%-26@ %7d words %7d tokens  %.3f s  %9.0f words/s", name as NSString, words, tokens, seconds, rate))
        }
    }

    /// Words of every sentence (first column; -DOCSTART- lines skipped; blank lines split).
    private func readConllWords(_ url: URL) throws -> [[String]] {
        var sentences: [[String]] = [], current: [String] = []
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace) {
                if !current.isEmpty { sentences.append(current) }
                current = []
            } else if !line.hasPrefix("-DOCSTART-"), let w = line.split(separator: " ").first {
                current.append(String(w))
            }
        }
        if !current.isEmpty { sentences.append(current) }
        return sentences
    }

    /// Times the Python fast tokenizer (one thread) on the same sentences.
    /// `seconds`/`tokens`: the transformers call the course makes; `rawSeconds`/`rawTokens`: the
    /// Rust tokenizer's `encode_batch` alone (no Python-side conversion).
    private func runPython(trainURL: URL) throws -> (seconds: Double, tokens: Int, rawSeconds: Double, rawTokens: Int) {
        let modelDir = try Hub.shared.file("tokenizer.json", in: model).deletingLastPathComponent().path
        let script = """
        import sys, time
        from transformers import AutoTokenizer
        tok = AutoTokenizer.from_pretrained(sys.argv[1])
        sents, cur = [], []
        for line in open(sys.argv[2], encoding="utf-8"):
            line = line.strip()
            if not line:
                if cur: sents.append(cur)
                cur = []
            elif not line.startswith("-DOCSTART-"):
                cur.append(line.split(" ")[0])
        if cur: sents.append(cur)
        best, n = float("inf"), 0
        for _ in range(int(sys.argv[3])):
            t0 = time.perf_counter()
            enc = tok(sents, is_split_into_words=True)
            n = sum(len(enc.word_ids(i)) for i in range(len(sents)))
            best = min(best, time.perf_counter() - t0)
        raw, rn = float("inf"), 0
        backend = tok.backend_tokenizer
        backend.no_truncation(); backend.no_padding()
        for _ in range(int(sys.argv[3])):
            t0 = time.perf_counter()
            encs = backend.encode_batch(sents, is_pretokenized=True)
            rn = sum(len(e.word_ids) for e in encs)
            raw = min(raw, time.perf_counter() - t0)
        print(best, n, raw, rn)
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [python, "-c", script, modelDir, trainURL.path, String(repeats)]
        var env = ProcessInfo.processInfo.environment
        env["TOKENIZERS_PARALLELISM"] = "false"
        env["RAYON_NUM_THREADS"] = "1"
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let fields = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard p.terminationStatus == 0, fields.count == 4, let s = Double(fields[0]), let n = Int(fields[1]),
              let rs = Double(fields[2]), let rn = Int(fields[3]) else {
            throw ValidationError("the Python reference failed (\(python)): install transformers, or pass --python none to skip it")
        }
        return (s, n, rs, rn)
    }
}

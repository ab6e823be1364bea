import ArgumentParser
import CBLAS
import FineTuning
import Foundation

/// Options shared by `bench train` and `bench infer`: the grid of configurations.
struct BenchGrid: ParsableArguments {
    @Option(help: "Batch sizes (comma-separated).") var batch = "8,32"
    @Option(help: "Sequence lengths (comma-separated).") var seq = "32,128"
    @Option(help: "Thread counts (comma-separated).") var threads = "1,2"
    @Option(help: "Minimum measured seconds per configuration.") var seconds = 3.0
    @Flag(help: "One JSON object per line per configuration.") var json = false
    @Flag(help: "Matrix products in bf16 with fp32 accumulation (oneDNN), as TrainingArguments(bf16: true).")
    var bf16 = false
    @Flag(help: "infer only: dynamic int8 linear layers (oneDNN), as model.quantize(.int8Dynamic).")
    var int8 = false
    @Option(help: "minilm: the MiniLM-L6 shape, token classification, 9 labels; distilbert: distilbert-base's layer sizes, sequence classification, 2 labels.")
    var model = "minilm"
    @Option(help: "Layers of the random DistilBERT (distilbert-base has 6).") var layers = 2
    @Option(help: "A DistilBERT checkpoint folder to load instead of random weights (Scripts/distilbert_fixtures.py --bench DIR writes one).")
    var checkpoint: String?

    func validate() throws {
        guard ["minilm", "distilbert"].contains(model) else {
            throw ValidationError("--model takes minilm or distilbert, got '\(model)'")
        }
        if int8 && bf16 { throw ValidationError("--int8 and --bf16 are two precisions: pick one") }
        guard layers > 0 else { throw ValidationError("--layers takes a positive integer, got \(layers)") }
        if checkpoint != nil, model != "distilbert" {
            throw ValidationError("--checkpoint is for --model distilbert (the MiniLM shape is always random)")
        }
    }

    /// What the table's title says about the model.
    var modelDescription: String {
        model == "minilm" ? "MiniLM-L6 shape, token classification"
            : "DistilBERT (dim 768, 12 heads, hidden 3072, vocab 30522), "
            + (checkpoint.map { "checkpoint \($0)" } ?? "random, \(layers) of 6 layers") + ", sequence classification"
    }

    /// A fresh model of the chosen shape (seeded) and whether its labels are per token.
    func makeModel() throws -> (model: any BertClassifier, perToken: Bool) {
        if model == "minilm" { return (BertForTokenClassification(config: miniLMShape(labels: 9), seed: 42), true) }
        if let checkpoint {
            let loaded = try AutoModelForSequenceClassification.fromPretrained(checkpoint)
            guard loaded is DistilBertForSequenceClassification else {
                throw ValidationError("--checkpoint \(checkpoint) is not a DistilBERT checkpoint (model_type \(loaded.config.modelType))")
            }
            return (loaded, false)
        }
        var config = DistilBertConfig()
        config.nLayers = layers
        config.id2label = [0: "NEGATIVE", 1: "POSITIVE"]
        return (DistilBertForSequenceClassification(config: config, seed: 42), false)
    }

    func list(_ s: String, _ name: String) throws -> [Int] {
        let v = s.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !v.isEmpty, v.allSatisfy({ $0 > 0 }), v.count == s.split(separator: ",").count else {
            throw ValidationError("--\(name) takes positive integers separated by commas, got '\(s)'")
        }
        return v
    }
    var configurations: [(b: Int, t: Int, threads: Int)] {
        get throws {
            let bs = try list(batch, "batch"), ts = try list(seq, "seq"), ns = try list(threads, "threads")
            return ns.flatMap { n in bs.flatMap { b in ts.map { t in (b, t, n) } } }
        }
    }
}

/// The MiniLM-L6 shape (all-MiniLM-L6-v2): 6 layers, hidden 384, 12 heads, FFN 1536.
func miniLMShape(labels: Int) -> BertConfig {
    BertConfig(vocabSize: 30522, hiddenSize: 384, numHiddenLayers: 6, numAttentionHeads: 12,
               intermediateSize: 1536, numLabels: labels)
}

/// Matrix-product FLOPs of one forward pass per token: the linear layers (2 per weight) and the
/// two attention products (2·T·C each), plus the classifier.
func forwardFlopsPerToken(_ c: BertConfig, t: Int) -> Double {
    let h = Double(c.hiddenSize), i = Double(c.intermediateSize)
    let perLayer = 2 * (4 * h * h + 2 * h * i) + 2 * 2 * Double(t) * h
    return Double(c.numHiddenLayers) * perLayer + 2 * h * Double(c.numLabels)
}

/// The best sgemm rate (GFLOP/s) at the current thread count on BERT-layer shapes, measured in
/// this run so the fraction is relative to this machine's state: the better of OpenBLAS's own
/// threading (temporarily enabled) and the toolkit's split `gemm` over single-threaded OpenBLAS.
func sgemmPeak() -> Double {
    let threads = Threads.count
    let shapes = [(1024, 1536, 384), (1024, 384, 1536), (1024, 384, 384)]
    var best = 0.0
    for (m, n, k) in shapes {
        let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: k * n)
        var c = [Float](repeating: 0, count: m * n)
        for native in [true, false] {
            openblas_set_num_threads(Int32(native ? threads : 1))
            defer { openblas_set_num_threads(1) }
            func run() {
                if native {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k),
                                b, Int32(n), 0, &c, Int32(n))
                } else {
                    gemm(transA: false, transB: false, m: m, n: n, k: k, a, lda: k, b, ldb: n, &c, ldc: n)
                }
            }
            run()
            var reps = 0
            let start = Date()
            while Date().timeIntervalSince(start) < 0.3 { run(); reps += 1 }
            best = max(best, 2 * Double(m * n * k) * Double(reps) / Date().timeIntervalSince(start) / 1e9)
        }
    }
    return best
}

/// One measured configuration.
struct BenchResult {
    let name: String
    let b, t, threads, steps: Int
    let seconds, tokensPerSecond, gflops, peak: Double
    /// The bf16 matmul peak (`bf16Peak`), measured for `--bf16` runs; their fraction is of it.
    var bf16Peak: Double? = nil
    var peakFraction: Double { gflops / (bf16Peak ?? peak) }

    var jsonLine: String {
        String(format: #"{"name":"%@","batch":%d,"seq":%d,"threads":%d,"steps":%d,"seconds":%.3f,"tokens_per_s":%.1f,"gflops":%.2f,"sgemm_peak_gflops":%.2f,"peak_fraction":%.4f"#,
               name, b, t, threads, steps, seconds, tokensPerSecond, gflops, peak, peakFraction)
            + (bf16Peak.map { String(format: #","bf16_peak_gflops":%.2f}"#, $0) } ?? "}")
    }
    static let header = "config                     tokens/s   GFLOP/s   sgemm peak   bf16 peak   fraction"
    var row: String {
        String(format: "%@ %10.0f %9.1f %12.1f %11@ %9.1f%%", name.padding(toLength: 24, withPad: " ", startingAt: 0),
               tokensPerSecond, gflops, peak, bf16Peak.map { String(format: "%.1f", $0) } ?? "-", 100 * peakFraction)
    }
}

/// Runs `step` once to warm up (allocating buffers), then repeatedly for at least `seconds`.
func measure(seconds: Double, _ step: () throws -> Void) throws -> (steps: Int, seconds: Double) {
    try step()
    var steps = 0
    let start = Date()
    repeat { try step(); steps += 1 } while Date().timeIntervalSince(start) < seconds || steps < 2
    return (steps, Date().timeIntervalSince(start))
}

/// A random batch of token ids (fixed seed) with labels for every token.
func randomBatch(b: Int, t: Int, vocab: Int, labels: Int, seed: UInt64 = 1234) throws -> (BertInput, [Int32]) {
    let rng = CounterRandom(seed: seed)
    let ids = (0..<(b * t)).map { Int32(Float(vocab - 1) * rng.uniform($0)) + 1 }
    let y = (0..<(b * t)).map { Int32(Float(labels) * rng.uniform($0 + b * t)) % Int32(labels) }
    return (try BertInput(batchSize: b, sequenceLength: t, inputIds: ids), y)
}

func report(_ results: [BenchResult], json: Bool, title: String) {
    if json {
        let engine = results.contains { $0.bf16Peak != nil }
            ? ",\"dnnl_impl\":\"" + ((try? BF16Engine.shared().implementationsUsed) ?? []).joined(separator: ",") + "\"" : ""
        for r in results { print(r.jsonLine.dropLast() + ",\"blas_core\":\"\(Threads.blasCore)\"" + engine + "}") }
        return
    }
    print(title + " (OpenBLAS core: \(Threads.blasCore))")
    if results.contains(where: { $0.bf16Peak != nil }) { print(bf16EngineLine()) }
    print(BenchResult.header)
    for r in results { print(r.row) }
}

/// Runs one measurement per grid configuration on a fresh model (`grid.makeModel`):
/// `makeStep` prepares the model and returns the timed step. `flopsPerForward` scales the
/// forward FLOPs (1 for inference; 3 for training, the backward being about twice the forward).
func runGrid(_ grid: BenchGrid, name: String, flopsPerForward: Double,
             makeStep: (any BertClassifier, BertInput, [Int32]) throws -> () throws -> Void) throws -> [BenchResult] {
    var results: [BenchResult] = []
    for (b, t, n) in try grid.configurations {
        Threads.count = n
        let peakBefore = sgemmPeak()
        let bf16Before = grid.bf16 ? try bf16Peak().gflops : nil
        let (model, perToken) = try grid.makeModel()
        let config = model.config
        if grid.bf16 { try model.setBF16(true) }
        if grid.int8 { try model.quantize(.int8Dynamic) }
        // Labels per token [B·T] or per sequence [B].
        let (input, tokenLabels) = try randomBatch(b: b, t: t, vocab: config.vocabSize, labels: config.numLabels)
        let labels = perToken ? tokenLabels : Array(tokenLabels.prefix(b))
        let m = try measure(seconds: grid.seconds, try makeStep(model, input, labels))
        // Peak before and after, the better one: load from other processes only lowers it.
        let peak = max(peakBefore, sgemmPeak())
        let bf16 = try bf16Before.map { max($0, try bf16Peak().gflops) }
        let tokens = Double(b * t * m.steps)
        let flops = flopsPerForward * forwardFlopsPerToken(config, t: t) * tokens
        let result = BenchResult(name: "\(name)\(grid.bf16 ? "-bf16" : grid.int8 ? "-int8" : "") b\(b) t\(t) x\(n)", b: b, t: t, threads: n,
                                 steps: m.steps, seconds: m.seconds, tokensPerSecond: tokens / m.seconds,
                                 gflops: flops / m.seconds / 1e9, peak: peak, bf16Peak: bf16)
        results.append(result)
        if !grid.json { FileHandle.standardError.write(Data((result.row + "\n").utf8)) }
    }
    return results
}

struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fine-tuning throughput (forward, backward, AdamW) of a MiniLM-shaped token classifier or a DistilBERT.")
    @OptionGroup var grid: BenchGrid
    @Flag(help: "Time each kind of work in a step (products, conversions, attention, LayerNorm, ...) instead.")
    var profile = false

    func run() throws {
        if profile { return try profileTrain(grid) }
        let results = try runGrid(grid, name: "train", flopsPerForward: 3) { model, input, labels in
            model.train()
            let optimizer = try AdamW(model.parameters, lr: 2e-5, weightDecay: 0.01)
            return {
                let out = try model.forward(input, labels: labels)
                try out.backward()
                // As the Trainer does it: the clip factor is applied by the optimizer's pass.
                let clip = clipCoefficient(norm: gradNorm(model.parameters), maxNorm: 1)
                optimizer.step(gradientScale: clip)
                optimizer.zeroGrad()
            }
        }
        report(results, json: grid.json, title: "bench train: \(grid.modelDescription), AdamW")
    }
}

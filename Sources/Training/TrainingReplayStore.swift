import Foundation
import Models
import Tensor

// Where finished training runs are kept so that the same run, asked for again, is not redone:
// `course step` and `course exercise check` point the Trainer here (COURSE_REPLAY_DIR) so that
// a learner coming back to a chapter does not wait minutes for a fine-tune whose inputs have
// not changed. `course check` and `course run` never set it: every doc-test trains for real.
//
// One folder per run under `runs/`, named by its key (`TrainingReplayKey`):
//   record.json     what the run printed, its TrainerState and counters, its TrainOutput, the
//                   model's dropout counter after it, the metrics each evaluation computed
//   weights.bin     the model's final weights, float32, in `model.parameters` order
//   eval-N.bin      the N-th evaluation's predictions and labels (to check computeMetrics)
//   output/         the output folder as the run left it (hard links where possible)
// A folder is written under a temporary name and renamed when complete, so a run killed
// while recording leaves nothing that could be replayed.

/// The folder of recorded runs, and the build they belong to.
public struct TrainingReplayStore: Sendable {
    /// The folder holding one sub-folder per recorded run.
    public let directory: URL
    /// The toolkit build the runs were made with (part of every key).
    public let build: String
    /// Records kept; the oldest are removed when a new one is written.
    public var keep = 8

    /// A store in `directory` for runs of toolkit build `build` (a rebuilt toolkit trains again).
    public init(directory: URL, build: String) {
        self.directory = directory
        self.build = build
    }

    /// The store the environment asks for: `COURSE_REPLAY_DIR` and `COURSE_REPLAY_BUILD` both
    /// set (by `course step` / `course exercise check`), else nil (train for real).
    public static var fromEnvironment: TrainingReplayStore? {
        let env = ProcessInfo.processInfo.environment
        guard let dir = env["COURSE_REPLAY_DIR"], !dir.isEmpty, let build = env["COURSE_REPLAY_BUILD"], !build.isEmpty
        else { return nil }
        return TrainingReplayStore(directory: URL(fileURLWithPath: dir), build: build)
    }

    /// The recorded runs (`predictions/` beside it holds `TrainerPredictionCache`'s files).
    var runs: URL { directory.appendingPathComponent("runs") }

    func folder(_ key: TrainingReplayKey) -> URL { runs.appendingPathComponent(key.hex) }

    /// The complete record of `key`, or nil.
    func record(_ key: TrainingReplayKey) -> TrainingReplayRecord? {
        let url = folder(key).appendingPathComponent("record.json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(TrainingReplayRecord.self, from: data)
    }

    /// Writes a record atomically; a failure to record is not the run's failure (it trained).
    func save(_ record: TrainingReplayRecord, weights: [Parameter], evaluations: [RecordedEvaluation],
              outputDir: String, key: TrainingReplayKey) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: runs, withIntermediateDirectories: true)
        let tmp = runs.appendingPathComponent(".tmp-\(key.hex)-\(getpid())")
        try? fm.removeItem(at: tmp)
        try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
        do {
            var blob = Data()
            for p in weights { blob.append(UnsafeBufferPointer(start: p.value.data, count: p.value.count)) }
            try blob.write(to: tmp.appendingPathComponent("weights.bin"))
            for (i, e) in evaluations.enumerated() {
                try e.encoded().write(to: tmp.appendingPathComponent("eval-\(i).bin"))
            }
            let output = URL(fileURLWithPath: outputDir)
            if fm.fileExists(atPath: output.path) {
                try Self.linkTree(output, to: tmp.appendingPathComponent("output"))
            }
            try JSONEncoder().encode(record).write(to: tmp.appendingPathComponent("record.json"))
            let final = folder(key)
            try? fm.removeItem(at: final)
            try fm.moveItem(at: tmp, to: final)
        } catch {
            try? fm.removeItem(at: tmp)
            throw error
        }
        evictOld()
    }

    /// The recorded final weights, checked against the model's shapes.
    func weights(_ key: TrainingReplayKey, into parameters: [Parameter]) throws {
        let data = try Data(contentsOf: folder(key).appendingPathComponent("weights.bin"))
        let total = parameters.reduce(0) { $0 + $1.value.count }
        guard data.count == total * MemoryLayout<Float>.size else {
            throw TrainerError("the recorded run in \(folder(key).path) holds \(data.count) bytes of weights, not \(total) floats")
        }
        data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            for p in parameters {
                let n = p.value.count
                p.value.data.update(from: base.advanced(by: offset * 4).assumingMemoryBound(to: Float.self), count: n)
                offset += n
            }
        }
    }

    func evaluation(_ key: TrainingReplayKey, _ index: Int) throws -> RecordedEvaluation {
        try RecordedEvaluation(decoding: Data(contentsOf: folder(key).appendingPathComponent("eval-\(index).bin")))
    }

    /// Puts the output folder back as the recorded run left it.
    func restoreOutput(_ key: TrainingReplayKey, to outputDir: String) throws {
        let fm = FileManager.default
        let saved = folder(key).appendingPathComponent("output")
        let output = URL(fileURLWithPath: outputDir)
        try? fm.removeItem(at: output)
        if fm.fileExists(atPath: saved.path) { try Self.linkTree(saved, to: output) }
    }

    /// Copies a folder. Files inside `checkpoint-*` folders become hard links (no second copy
    /// of a few hundred megabytes of weights and optimizer state): a checkpoint is written
    /// once, under a temporary name then renamed, and only ever deleted whole. Everything else
    /// is copied, since a later step may append to it in place (a TensorBoard event file).
    static func linkTree(_ source: URL, to destination: URL, inCheckpoint: Bool = false) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: destination, withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: source.path) {
            let from = source.appendingPathComponent(name), to = destination.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            fm.fileExists(atPath: from.path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                try linkTree(from, to: to, inCheckpoint: inCheckpoint || name.hasPrefix("checkpoint-"))
            } else if !inCheckpoint || (try? fm.linkItem(at: from, to: to)) == nil {
                try fm.copyItem(at: from, to: to)
            }
        }
    }

    /// Keeps the newest `keep` records, dated by their record.json (written last).
    private func evictOld() {
        keepNewest(keep, in: runs) { $0.appendingPathComponent("record.json") }
    }
}

/// What a recorded run left, besides its weights and files.
struct TrainingReplayRecord: Codable {
    /// The stdout lines the Trainer printed, in order.
    var lines: [String]
    /// `trainer.state` at the end (transformers' keys) and the toolkit's counters.
    var state: TrainerState
    var counters: TrainerCounters
    var globalStep: Int
    var trainingLoss: Double
    var metrics: [String: Double]
    /// The model's dropout counter after the run (the next forward's dropout masks follow it).
    var forwardCount: UInt64
    /// What `computeMetrics` returned at each evaluation (`String(describing:)`, exact).
    var computedMetrics: [String]
    /// ISO 8601, UTC: when the run ended.
    var date: String
}

/// One `computeMetrics` call of a recorded run: its input, kept to call the current
/// `computeMetrics` again on replay.
struct RecordedEvaluation {
    var prediction: EvalPrediction

    init(_ prediction: EvalPrediction) { self.prediction = prediction }

    /// [rank, shape..., floats] then labels: [flag, rank, shape..., ints] then float labels.
    func encoded() -> Data {
        var d = Data()
        func int(_ n: Int) { withUnsafeBytes(of: Int64(n).littleEndian) { d.append(contentsOf: $0) } }
        let p = prediction.predictions
        int(p.shape.count); p.shape.forEach(int)
        d.append(UnsafeBufferPointer(start: p.data, count: p.count))
        if let labels = prediction.labelIds {
            int(1); int(labels.shape.count); labels.shape.forEach(int); labels.values.forEach(int)
        } else { int(0) }
        if let floats = prediction.floatLabelIds {
            int(1); int(floats.count); floats.withUnsafeBufferPointer { d.append($0) }
        } else { int(0) }
        return d
    }

    init(decoding d: Data) throws {
        var offset = 0
        func bad() -> TrainerError { TrainerError("a recorded evaluation is damaged; train again with --fresh") }
        func int() throws -> Int {
            guard offset + 8 <= d.count else { throw bad() }
            defer { offset += 8 }
            return Int(Int64(littleEndian: d.subdata(in: offset..<offset + 8).withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }))
        }
        func floats(_ n: Int) throws -> [Float] {
            guard n >= 0, offset + 4 * n <= d.count else { throw bad() }
            defer { offset += 4 * n }
            return d.subdata(in: offset..<offset + 4 * n).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
        let rank = try int()
        guard (0...8).contains(rank) else { throw bad() }
        let shape = try (0..<rank).map { _ in try int() }
        let predictions = try Tensor(shape: shape, values: try floats(shape.reduce(1, *)))
        var labels: BatchTensor?
        if try int() == 1 {
            let r = try int()
            guard (0...8).contains(r) else { throw bad() }
            let s = try (0..<r).map { _ in try int() }
            labels = BatchTensor(shape: s, values: try (0..<s.reduce(1, *)).map { _ in try int() })
        }
        var floatLabels: [Float]?
        if try int() == 1 { floatLabels = try floats(try int()) }
        prediction = EvalPrediction(predictions: predictions, labelIds: labels, floatLabelIds: floatLabels)
    }
}

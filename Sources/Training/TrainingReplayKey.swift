import Datasets
import Digest
import Foundation
import Models
import Tensor

// The key of a training run for `TrainingReplayStore`: a SHA-256 over everything that can
// change a number the run produces. Whatever cannot be hashed (a closure, a callback or a
// collator written outside the toolkit, a resumed or distributed run) makes the run
// unkeyable, and `TrainingReplayKey.make` returns the reason instead, so the run trains.
//
// Covered: the toolkit build (given by whoever enables replay), the CPU model and the kernel
// thread count (results are bit-identical only for a fixed count), every training argument,
// the model's class, config, every weight and its dropout counter, every value of the
// training and evaluation rows, the collator and callbacks (toolkit types only, with their
// settings), the output folder's files before the run (names and sizes). Not covered, and
// checked instead: `computeMetrics`, a closure, is run again on the predictions it scored
// in the recorded run and must give the same results (see `TrainingReplayRecord`).

struct TrainingReplayKey: Equatable {
    /// 64 hex digits.
    let hex: String

    /// Why a run cannot be replayed (it then trains, saying so only when asked).
    struct Unkeyable: Error { let reason: String }

    static func make<Model: BertClassifier>(_ trainer: Trainer<Model>, build: String) throws -> TrainingReplayKey {
        func refuse(_ reason: String) -> Unkeyable { Unkeyable(reason: reason) }
        guard trainer.group.size == 1 else { throw refuse("it runs on \(trainer.group.size) processes") }
        guard trainer.shouldStop == nil else { throw refuse("it has a shouldStop closure") }
        guard !trainer.args.pushToHub else { throw refuse("it pushes to the Hub") }
        guard ProcessInfo.processInfo.environment["TENSORBOARD_LOGGING_DIR"] == nil else {
            throw refuse("TensorBoard writes outside the output folder (TENSORBOARD_LOGGING_DIR)")
        }
        for callback in trainer.callbacks where !isToolkitType(type(of: callback)) {
            throw refuse("a callback of your own (\(type(of: callback))) takes part in it")
        }
        guard isToolkitType(type(of: trainer.dataCollator)) else {
            throw refuse("its data collator (\(type(of: trainer.dataCollator))) is your own")
        }
        var h = SHA256()
        func field(_ name: String, _ value: String) { h.update("\(name)=\(value.utf8.count):"); h.update(value) }
        field("format", "1")
        field("build", build)
        field("cpu", cpuModel)
        field("threads", String(Threads.inUse))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        field("args", String(decoding: try encoder.encode(trainer.args), as: UTF8.self))
        field("model", String(reflecting: Model.self))
        field("config", String(decoding: try encoder.encode(trainer.model.config), as: UTF8.self))
        field("forward-count", String(trainer.model.bert.forwardCount))
        for p in trainer.model.parameters {
            field("parameter", p.name + " " + p.shape.map(String.init).joined(separator: "x"))
            h.update(buffer: UnsafeRawBufferPointer(start: p.value.data, count: p.value.count * MemoryLayout<Float>.size))
        }
        for (name, dataset) in [("train", trainer.trainDataset), ("eval", trainer.evalDataset)] {
            guard let dataset else { field(name, "none"); continue }
            field(name, "")
            try hash(dataset, into: &h)
        }
        field("collator", String(reflecting: trainer.dataCollator))
        field("callbacks", trainer.callbacks.map { String(reflecting: $0) }.joined(separator: ";"))
        field("metrics", trainer.computeMetrics == nil ? "none" : "checked")
        field("output", outputListing(trainer.args.outputDir))
        return TrainingReplayKey(hex: SHA256.hex(h.finalize()))
    }

    /// A type defined by the toolkit (Training), whose behaviour the build key covers.
    private static func isToolkitType(_ type: Any.Type) -> Bool {
        String(reflecting: type).hasPrefix("Training.")
    }

    /// A dataset's column names, row count and every value.
    static func hash(_ dataset: Dataset, into h: inout SHA256) throws {
        h.update(dataset.columnNames.joined(separator: ",") + " \(dataset.count)|")
        for column in dataset.columnNames {
            for value in try dataset[column: column] { hash(value, into: &h) }
        }
    }

    /// Every value with its kind and length, so that ["ab"] and ["a", "b"] differ.
    private static func hash(_ value: Value, into h: inout SHA256) {
        switch value {
        case .null: h.update([0])
        case .bool(let b): h.update([1, b ? 1 : 0])
        case .int(let n): h.update([2]); withUnsafeBytes(of: Int64(n).littleEndian) { h.update(buffer: $0) }
        case .float(let x): h.update([3]); withUnsafeBytes(of: x.bitPattern.littleEndian) { h.update(buffer: $0) }
        case .string(let s):
            h.update([4]); withUnsafeBytes(of: Int64(s.utf8.count).littleEndian) { h.update(buffer: $0) }
            h.update(s)
        case .list(let items):
            h.update([5]); withUnsafeBytes(of: Int64(items.count).littleEndian) { h.update(buffer: $0) }
            for item in items { hash(item, into: &h) }
        }
    }

    /// The files under the output folder before the run (relative path and size), sorted: a
    /// run into a folder holding other files (an earlier run's checkpoints) is another run.
    static func outputListing(_ folder: String) -> String {
        let root = URL(fileURLWithPath: folder).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey])
        else { return "absent" }
        var lines: [String] = []
        for case let url as URL in walker {
            let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
            guard values?.isRegularFile == true else { continue }
            let relative = url.standardizedFileURL.path.dropFirst(root.path.count)
            lines.append("\(relative) \(values?.fileSize ?? -1)")
        }
        return lines.sorted().joined(separator: "\n")
    }

    /// The CPU's model name (bf16 and int8 kernels differ between CPUs).
    static let cpuModel: String = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        let line = text.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.map(String.init) ?? "unknown"
    }()
}

import Foundation
import Models
@testable import Training
import Testing

/// The files a run leaves behind, as Python's own libraries read them: trainer_state.json with
/// transformers' keys and types (the counters for an exact resume in a file of their own),
/// config.json with `transformers_version`, a card with a `model-index`, and — when the
/// reference venv is present — Scripts/fixtures/python_reads_swift_files.py loading all of them
/// and resuming a Swift checkpoint with a Python `Trainer`.
@Suite struct PythonFilesTests {
    typealias T = TrainerTests

    static let fixture: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/python_files.json")
        return (try? JSONSerialization.jsonObject(with: Data(contentsOf: url))) as? [String: Any] ?? [:]
    }()

    /// Two epochs with evaluation and a checkpoint each, TensorBoard on, then the model and card saved.
    static func run(_ dir: String) throws -> T.Run {
        let r = try T.run(T.args(dir) { $0.numTrainEpochs = 2; $0.saveStrategy = .epoch; $0.reportTo = [.tensorboard] })
        try r.trainer.saveModel()
        try r.trainer.createModelCard(license: "apache-2.0", finetunedFrom: "tiny-bert", tasks: ["token-classification"],
                                      datasetTags: ["conll2003"], dataset: ["CoNLL-2003"], datasetArgs: ["conll2003"])
        return r
    }

    @Test func floatsAreWrittenAsPythonWritesThem() throws {
        let cases = try #require(Self.fixture["float_reprs"] as? [[String: String]])
        #expect(cases.count > 20)
        for c in cases {
            let x = try #require(Double(c["hex"] ?? ""), "\(c)")
            #expect(PythonJSON.repr(x) == c["repr"], "\(c)")
        }
        #expect(PythonJSON.object(["b": .array([.int(1), .float(2)]), "a": .string("é\"")]).document()
                == "{\n  \"a\": \"\\u00e9\\\"\",\n  \"b\": [\n    1,\n    2.0\n  ]\n}\n")
    }

    /// A diverged loss is written as Python writes it (NaN) and read back.
    @Test func nonFiniteLossesRoundTrip() throws {
        var state = TrainerState()
        state.logHistory = [["loss": .nan, "step": 1], ["loss": .infinity, "grad_norm": 0.1, "step": 2]]
        state.epoch = 0.25
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try state.save(to: url)
        #expect(try String(contentsOf: url, encoding: .utf8).contains("\"loss\": NaN,"))
        let back = try TrainerState.load(url)
        #expect(back.logHistory[0]["loss"]?.isNaN == true && back.logHistory[1] == state.logHistory[1])
        #expect(back.epoch == 0.25 && back.logHistory[0]["step"] == 1)
    }

    @Test func trainerStateHasTransformersKeysAndTypes() throws {
        let dir = T.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Self.run(dir)
        let url = URL(fileURLWithPath: dir + "/checkpoint-16/trainer_state.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object.keys.sorted() == Self.fixture["trainer_state_fields"] as? [String])
        #expect(text.contains("\"epoch\": 2.0,") && text.contains("\"step\": 16\n"))
        #expect(text.contains("\"train_batch_size\": 4,") && text.contains("\"trial_params\": null\n"))
        #expect(text.contains("\"should_save\": true") && text.contains("\"should_training_stop\": true"))
        let state = try TrainerState.load(url)
        // 6 × tokens × parameters outside the embedding tables, summed over the steps.
        let perToken = 6 * Double(r.trainer.nonEmbeddingParameterCount)
        #expect(state.totalFlos > 0 && state.totalFlos.truncatingRemainder(dividingBy: perToken) == 0)
        #expect(r.trainer.nonEmbeddingParameterCount == r.trainer.model.parameters.reduce(0) { $0 + $1.shape.reduce(1, *) }
                - (64 + 16 + 2) * 32)
        let last = try #require(r.trainer.state.logHistory.last)
        #expect(last["total_flos"] == state.totalFlos && last["train_runtime"] != nil && last["train_steps_per_second"] != nil)
        let evals = r.trainer.state.logHistory.filter { $0["eval_loss"] != nil }
        #expect(evals.allSatisfy { $0["eval_runtime"] != nil && $0["eval_samples_per_second"] != nil })
        #expect(r.lines.allSatisfy { !$0.contains("runtime") }, "wall-clock speeds stay out of the printed lines")
        // The counters live beside it.
        let counters = try JSONDecoder().decode(TrainerCounters.self,
                                                from: Data(contentsOf: URL(fileURLWithPath: dir + "/checkpoint-16/trainer_state_swift.json")))
        #expect(counters.dropoutForwardCount == 16 && counters == state.counters)
    }

    /// A checkpoint from before the split (counters inside trainer_state.json, no side file) still
    /// resumes to the uninterrupted run's numbers.
    @Test func checkpointsWithInlineCountersStillResumeExactly() throws {
        let dirA = T.tempDir(), dirB = T.tempDir()
        defer { for d in [dirA, dirB] { try? FileManager.default.removeItem(atPath: d) } }
        func args(_ dir: String) -> TrainingArguments { T.args(dir) { $0.saveStrategy = .epoch; $0.numTrainEpochs = 2 } }
        let full = try T.run(args(dirA), dropout: 0.1)
        _ = try T.run(args(dirB), dropout: 0.1, stopAt: 8)
        let checkpoint = URL(fileURLWithPath: dirB + "/checkpoint-8")
        let side = checkpoint.appendingPathComponent(TrainerState.countersFileName)
        let stateURL = checkpoint.appendingPathComponent("trainer_state.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: stateURL)) as? [String: Any])
        let counters = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: side)) as? [String: Any])
        object.merge(counters) { $1 }
        try JSONSerialization.data(withJSONObject: object).write(to: stateURL)
        try FileManager.default.removeItem(at: side)
        let resumed = try T.run(args(dirB), dropout: 0.1, resume: checkpoint.path)
        #expect(T.same(resumed.output, full.output))
        #expect(resumed.trainer.state.reproducibleLogHistory == full.trainer.state.reproducibleLogHistory)
        for (p, q) in zip(resumed.trainer.model.parameters, full.trainer.model.parameters) {
            #expect(p.value.maxAbsDiff(q.value) == 0, "\(p.name)")
        }
    }

    @Test func configAndCardSayWhatPythonWrites() throws {
        let dir = T.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Self.run(dir)
        let config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/config.json")))
            as? [String: Any])
        #expect(config["transformers_version"] as? String == BertConfig.transformersVersion)
        #expect(BertConfig.transformersVersion == Self.fixture["transformers_version"] as? String)
        _ = try BertForTokenClassification.fromPretrained(dir)
        let card = try String(contentsOfFile: dir + "/README.md", encoding: .utf8)
        let accuracy = try #require(r.trainer.state.logHistory.last { $0["eval_accuracy"] != nil }?["eval_accuracy"])
        let yaml = """
            ---
            library_name: transformers
            license: apache-2.0
            base_model: tiny-bert
            tags:
            - generated_from_trainer
            datasets:
            - conll2003
            metrics:
            - accuracy
            model-index:
            - name: \(URL(fileURLWithPath: dir).lastPathComponent)
              results:
              - task:
                  name: Token Classification
                  type: token-classification
                dataset:
                  name: CoNLL-2003
                  type: conll2003
                  args: conll2003
                metrics:
                - name: Accuracy
                  type: accuracy
                  value: \(PythonJSON.repr(accuracy))
            ---
            """
        #expect(card.hasPrefix(yaml + "\n"), "\(card)")
        #expect(!card.contains("Runtime") && card.contains("- Accuracy: "))
        // Without a task or dataset there is no result, as in Python; the card still has the index.
        #expect(r.trainer.modelCard().contains("model-index:\n- name: \(URL(fileURLWithPath: dir).lastPathComponent)\n  results: []\n"))
        #expect(CardMetadata.scalar("a: b") == "\"a: b\"" && CardMetadata.scalar("null") == "\"null\""
                && CardMetadata.scalar("sentence-transformers/all-MiniLM-L6-v2") == "sentence-transformers/all-MiniLM-L6-v2")
    }

    /// The reference venv's Python (`.venv/bin/python` in the package root) with the libraries
    /// the check needs; nil when absent.
    static let python: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: path),
              (try? runPython(path, ["-c", "import transformers, huggingface_hub, tensorboard, datasets"]))?.status == 0
        else { return nil }
        return path
    }()

    static func runPython(_ python: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HF_HUB_OFFLINE"] = "1"
        environment["TRANSFORMERS_VERBOSITY"] = "error"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: python != nil, "needs .venv with transformers, huggingface_hub, tensorboard (Scripts/make-venv.sh)"))
    func pythonReadsTheFilesAndResumesTheCheckpoint() throws {
        let dir = T.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run: T.Run? = try Self.run(dir)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scripts/fixtures/python_reads_swift_files.py").path
        let result = try Self.runPython(try #require(Self.python), [script, dir])
        print("python_reads_swift_files:", result.output)
        // TensorBoard's reader against the whole log history (what trainer.saveState() would write).
        try (try #require(run)).trainer.state.save(to: URL(fileURLWithPath: dir + "/trainer_state.json"))
        let check = URL(fileURLWithPath: script).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("reference/tensorboard_check_run.py").path
        let tensorboard = try Self.runPython(try #require(Self.python), [check, dir])
        #expect(tensorboard.status == 0 && tensorboard.output.contains("in 14 tags"), "\(tensorboard.output)")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("\"resumed\": {\"checkpoint\": \"checkpoint-8\", \"began_at\": 8, \"ended_at\": 10"),
                "\(result.output)")
    }
}

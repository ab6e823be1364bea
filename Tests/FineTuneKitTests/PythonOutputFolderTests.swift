import Foundation
import Testing
import TestSupport

/// The output folder of a train + eval run against one recorded from Python's Trainer taking
/// run_glue's steps (Fixtures/run_glue_output.json, Scripts/fixtures/finetune_output_fixtures.py):
/// the same files and the same JSON keys. Differences by design: training_args.json for Python's
/// pickled training_args.bin, and the tokenizer files of a vocab.txt tokenizer.
@Suite struct PythonOutputFolderTests {
    struct Record: Decodable {
        let files: [String], checkpoint_files: [String]
        let train_results: [String], eval_results: [String], all_results: [String]
    }

    @Test func filesAndKeysAreThoseOfPythonsRun() throws {
        let url = TestPaths.fixtures().appendingPathComponent("run_glue_output.json")
        let python = try JSONDecoder().decode(Record.self, from: Data(contentsOf: url))
        let ws = try TinyWorkspace()
        defer { ws.remove() }
        let train = try ws.sentimentCSV("train.csv", rows: 16), validation = try ws.sentimentCSV("v.csv", rows: 6, offset: 1)
        let r = TinyWorkspace.run(["text-classification", "--model_name_or_path", ws.model, "--train_file", train,
                                   "--validation_file", validation, "--do_train", "--do_eval", "--output_dir", ws.path("out"),
                                   "--num_train_epochs", "2", "--per_device_train_batch_size", "4", "--save_steps", "4",
                                   "--logging_steps", "2", "--max_seq_length", "16"])
        #expect(r.status == 0, "\(r.err.suffix(3))")
        let tokenizerFiles: Set<String> = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"]
        func renamed(_ name: String) -> String { name == "training_args.bin" ? "training_args.json" : name }
        let swift = Set(try FileManager.default.contentsOfDirectory(atPath: ws.path("out"))).subtracting(tokenizerFiles)
        #expect(swift == Set(python.files.map(renamed)).subtracting(tokenizerFiles))
        func keys(_ name: String) throws -> [String] {
            let data = try Data(contentsOf: URL(fileURLWithPath: ws.path("out/\(name)")))
            return (try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])).keys.sorted()
        }
        #expect(try keys("train_results.json") == python.train_results)
        #expect(try keys("eval_results.json") == python.eval_results)
        #expect(try keys("all_results.json") == python.all_results)
        // A checkpoint holds the model and the state as Python's does (optimizer and scheduler in the toolkit's formats).
        let checkpoint = Set(try FileManager.default.contentsOfDirectory(atPath: ws.path("out/checkpoint-8")))
        #expect(Set(["config.json", "model.safetensors", "trainer_state.json"]).isSubset(of: checkpoint))
        #expect(Set(["config.json", "model.safetensors", "trainer_state.json"]).isSubset(of: Set(python.checkpoint_files)))
    }
}

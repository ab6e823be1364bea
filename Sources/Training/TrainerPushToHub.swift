import Files
import Foundation
import Hub
import Models

// The Trainer's side of sharing, with Python's meaning (transformers' Trainer.push_to_hub and
// _push_from_checkpoint):
//   - `trainer.pushToHub(commitMessage: "End of training")`: saves the model, tokenizer and model
//     card into `outputDir` (saveModel) and uploads `outputDir` in one commit;
//   - with `args.pushToHub`, every checkpoint save also pushes, by `hubStrategy`:
//       .end             nothing until `pushToHub()`;
//       .everySave       the checkpoint's model files, copied into `outputDir`, with the message
//                        "Training in progress, step N" ("..., epoch N" when saving by epoch);
//       .checkpoint      that, and the whole checkpoint into `last-checkpoint/` (message + ", checkpoint"),
//                        so training can resume from the Hub;
//       .allCheckpoints  that, with each checkpoint in its own `checkpoint-N/`.
// `outputDir`'s `checkpoint-*`, `tmp-checkpoint-*`, `_*` and `.course/` are never pushed from it.
// The repository is created when training starts and before each push when missing (an existing
// one is fine), private if `hubPrivateRepo`.
// Only world process zero pushes. Uploads are synchronous (Python runs them in the background).

/// Python's `hub_strategy`.
public enum HubStrategy: String, Codable, Sendable {
    case end
    case everySave = "every_save"
    case checkpoint
    case allCheckpoints = "all_checkpoints"
}

/// A token kept out of files: encoded as Python writes it into training_args.json, "<HUB_TOKEN>",
/// and never decoded back.
public struct HubTokenArgument: Codable, Sendable, Equatable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The token itself, in memory only.
    public var value: String?
    /// Wraps a token (nil: none given, so `HF_TOKEN` or the login file is used).
    public init(_ value: String?) { self.value = value }
    public init(stringLiteral value: String) { self.value = value }
    public init(from decoder: Decoder) throws { value = nil }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode("<HUB_TOKEN>")
    }
    public var description: String { "<HUB_TOKEN>" }
}

/// Where the Trainer's uploads go; tests point it at a local Hub. nil: `HF_ENDPOINT`, else huggingface.co.
enum TrainerHubEndpoint {
    nonisolated(unsafe) static var override: String?
}

extension Trainer {
    /// The repository pushes go to: `hubModelId`, else `outputDir`'s last path component. A name
    /// without an owner goes to the token's user: the pushes use the `owner/name` the Hub answers.
    public var hubRepoId: String {
        args.hubModelId ?? URL(fileURLWithPath: args.outputDir).standardizedFileURL.lastPathComponent
    }

    func hubUploader() -> HubUploader {
        HubUploader(endpoint: TrainerHubEndpoint.override, token: args.hubToken?.value)
    }

    /// Files of `outputDir` the Trainer never pushes from there.
    static func excludedFromPush(_ path: String) -> Bool {
        let first = path.split(separator: "/").first.map(String.init) ?? path
        return first.hasPrefix("_") || first.hasPrefix("checkpoint-") || first.hasPrefix("tmp-checkpoint-")
            || first == ".course" || first == "last-checkpoint"
    }

    /// Saves the model, tokenizer, card and training_args.json into `outputDir` and uploads it
    /// (Python `trainer.push_to_hub()`).
    @discardableResult
    public func pushToHub(commitMessage: String = "End of training") throws -> CommitInfo? {
        try saveModel()
        guard isWorldProcessZero else { return nil }
        try saveTrainingArguments()
        let uploader = hubUploader()
        let repo = try uploader.createRepoReturningId(hubRepoId, private: args.hubPrivateRepo, existOk: true)
        return try uploader.uploadFolder(URL(fileURLWithPath: args.outputDir), to: repo, commitMessage: commitMessage,
                                         exclude: Self.excludedFromPush)
    }

    /// Writes `training_args.json` into `outputDir` (Python's save_model writes training_args.bin
    /// beside the model), the token as "<HUB_TOKEN>". World process zero only.
    public func saveTrainingArguments() throws {
        guard isWorldProcessZero else { return }
        let url = URL(fileURLWithPath: args.outputDir).appendingPathComponent("training_args.json")
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(args).write(to: url, options: .atomic)
        } catch {
            throw TrainerError("cannot write \(url.path): \(FileProblem.describe(error))")
        }
    }

    /// With `args.pushToHub`, creates the repository before training starts (Python's
    /// `init_hf_repo`), so a missing or read-only token is an error now, not after the first save.
    func initHubRepo() throws {
        guard args.pushToHub, isWorldProcessZero else { return }
        try hubUploader().createRepo(hubRepoId, private: args.hubPrivateRepo, existOk: true)
    }

    /// After a checkpoint save, what `hubStrategy` pushes (Python `_push_from_checkpoint`).
    func pushFromCheckpoint() throws {
        guard args.pushToHub, args.hubStrategy != .end, isWorldProcessZero else { return }
        let fm = FileManager.default
        let output = URL(fileURLWithPath: args.outputDir)
        let checkpoint = output.appendingPathComponent("checkpoint-\(state.globalStep)")
        // The model files of the checkpoint go to the top of outputDir, as Python copies them;
        // the optimizer, scheduler and trainer state stay in the checkpoint.
        let stateFiles: Set<String> = ["optimizer.safetensors", "scheduler.json", "trainer_state.json", TrainerState.countersFileName]
        do {
            for name in try fm.contentsOfDirectory(atPath: checkpoint.path).sorted() where !stateFiles.contains(name) {
                let target = output.appendingPathComponent(name)
                try? fm.removeItem(at: target)
                try fm.copyItem(at: checkpoint.appendingPathComponent(name), to: target)
            }
        } catch {
            throw TrainerError("cannot copy \(checkpoint.path) into \(output.path) to push it: \(FileProblem.describe(error))")
        }
        let message = args.saveStrategy == .epoch
            ? "Training in progress, epoch \(Int(state.epoch))" : "Training in progress, step \(state.globalStep)"
        let uploader = hubUploader()
        let repo = try uploader.createRepoReturningId(hubRepoId, private: args.hubPrivateRepo, existOk: true)
        try uploader.uploadFolder(output, to: repo, commitMessage: message, exclude: Self.excludedFromPush)
        if args.hubStrategy == .checkpoint || args.hubStrategy == .allCheckpoints {
            let pathInRepo = args.hubStrategy == .checkpoint ? "last-checkpoint" : checkpoint.lastPathComponent
            try uploader.uploadFolder(checkpoint, to: repo, pathInRepo: pathInRepo, commitMessage: message + ", checkpoint")
        }
    }
}

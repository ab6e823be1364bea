import Foundation
import Testing
import TestSupport
@testable import Training

/// `finetune --push_to_hub` (issue 29) against a local Hub: the options reach the Trainer, the
/// repository is created private, and the final push holds the model, card and arguments.
@Suite(.serialized) struct PushToHubRunTests {
    @Test func theFinalPushHoldsTheOutputFolder() throws {
        let token = "hf_FinetunePushToken0123456789abcdef"
        let hub = try TestHub(token: token, lifetime: 120)
        TrainerHubEndpoint.override = hub.baseURL
        defer { hub.stop(); TrainerHubEndpoint.override = nil }
        let ws = try TinyWorkspace()
        defer { ws.remove() }
        let train = try ws.sentimentCSV("train.csv", rows: 8)
        let r = TinyWorkspace.run(["text-classification", "--model_name_or_path", ws.model, "--train_file", train,
                                   "--do_train", "--output_dir", ws.path("out"), "--num_train_epochs", "1",
                                   "--max_seq_length", "16", "--push_to_hub", "--hub_model_id", "me/tiny-sentiment",
                                   "--hub_strategy", "end", "--hub_token", token, "--hub_private_repo", "true"])
        #expect(r.status == 0, "\(r.err.suffix(3))")
        #expect(hub.commits.map(\.summary) == ["End of training"])
        let pushed = Set(hub.repos["me/tiny-sentiment"]?.keys.map { $0 } ?? [])
        for name in ["README.md", "config.json", "model.safetensors", "training_args.json", "train_results.json",
                     "all_results.json", "vocab.txt"] {
            #expect(pushed.contains(name), "\(name) not in \(pushed.sorted())")
        }
        let args = String(decoding: hub.repos["me/tiny-sentiment"]?["training_args.json"] ?? [], as: UTF8.self)
        #expect(!args.contains(token), "the token never goes into a file")
    }
}

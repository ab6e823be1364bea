import Foundation
import Hub
import Models
import Testing
import TestSupport
@testable import Training

// The Trainer's pushes against a local Hub (TestSupport/TestHub): for each hubStrategy, what is
// pushed, when, with which commit message, with Python's meaning; the model card with the final
// push; files it never pushes; the token kept out of training_args.json; and a round trip of the
// pushed model through the downloader back into logits identical to the trained model's.

private let pushToken = "hf_TrainerPushToken0123456789abcdef"

@Suite(.serialized) struct TrainerPushToHubTests {
    /// 3 epochs of 8 steps, saving every 10 steps (10, 20 and the last, 24), pushing to a local Hub.
    func train(_ strategy: HubStrategy, hub: TestHub, dir: String) throws -> TrainerTests.Run {
        TrainerHubEndpoint.override = hub.baseURL
        return try TrainerTests.run(TrainerTests.args(dir) {
            $0.saveStrategy = .steps; $0.saveSteps = 10
            $0.pushToHub = true; $0.hubModelId = "me/tiny-ner"; $0.hubStrategy = strategy
            $0.hubPrivateRepo = true; $0.hubToken = HubTokenArgument(pushToken)
        })
    }

    func withHub(_ body: (TestHub, String) throws -> Void) throws {
        let hub = try TestHub(token: pushToken, lifetime: 120)
        defer { hub.stop(); TrainerHubEndpoint.override = nil }
        let dir = TrainerTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(hub, dir)
    }

    static let modelFiles = ["config.json", "model.safetensors", "training_args.json"]

    @Test func endPushesOnlyWhenAskedWithTheCard() throws {
        try withHub { hub, dir in
            let run = try train(.end, hub: hub, dir: dir)
            #expect(hub.commits.isEmpty)
            // Something the Trainer never pushes, beside its checkpoints.
            try Data("x".utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent("_scratch.txt"))
            try FileManager.default.createDirectory(atPath: dir + "/.course", withIntermediateDirectories: true)
            try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/.course/state"))
            let info = try #require(try run.trainer.pushToHub())
            #expect(hub.commits.map(\.summary) == ["End of training"])
            #expect(info.files == ["README.md", "config.json", "model.safetensors", "training_args.json"])
            let card = String(decoding: hub.repos["me/tiny-ner"]?["README.md"] ?? [], as: UTF8.self)
            #expect(card.contains("generated_from_trainer"))
            let create = bodyJSON(try #require(hub.log.first { $0.path == "/api/repos/create" }))
            #expect(create["visibility"] as? String == "private" && create["name"] as? String == "tiny-ner")

            // Round trip: the pushed model, downloaded into an empty cache, gives the same logits.
            var download = Hub(cacheDirectory: URL(fileURLWithPath: dir + "/_cache"), endpoint: hub.baseURL,
                               token: pushToken, environment: [:])
            download.showProgress = false
            let folder = try download.snapshot(of: "me/tiny-ner", files: ["config.json", "model.safetensors", "README.md"])
            for name in ["config.json", "model.safetensors", "README.md"] {
                let pushed = try Data(contentsOf: folder.appendingPathComponent(name))
                #expect(pushed == (try Data(contentsOf: URL(fileURLWithPath: dir).appendingPathComponent(name))), "\(name)")
            }
            let loaded = try BertForTokenClassification.fromPretrained(folder.path)
            let input = try BertInput(inputIds: [[2, 7, 9, 11, 3]])
            loaded.eval()
            run.trainer.model.eval()
            let b = try loaded.withNoGrad { try loaded.forward(input, labels: nil).logits }
            let c = try run.trainer.model.withNoGrad { try run.trainer.model.forward(input, labels: nil).logits }
            #expect(b.scalars == c.scalars)
        }
    }

    /// Each strategy commits what transformers' Trainer commits, in the same order, with the same
    /// messages (Fixtures/trainer_push_reference.json, Scripts/fixtures/trainer_push_reference.py).
    @Test(arguments: ["end", "every_save", "checkpoint", "all_checkpoints"])
    func strategyMatchesTransformers(_ name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/trainer_push_reference.json")
        let fixture = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let reference = try #require((fixture["strategies"] as? [String: Any])?[name] as? [String: Any])
        let commits = try #require(reference["commits"] as? [[String: Any]])
        // Python's training_args.bin is training_args.json here; checkpoint folders by name only.
        func normalise(_ paths: [String]) -> [String] {
            Array(Set(paths.map { path in
                path.contains("/") ? String(path.split(separator: "/")[0]) + "/"
                    : path == "training_args.bin" ? "training_args.json" : path
            })).sorted()
        }
        try withHub { hub, dir in
            let run = try train(try #require(HubStrategy(rawValue: name)), hub: hub, dir: dir)
            try run.trainer.pushToHub()
            #expect(hub.commits.map(\.summary) == commits.map { $0["summary"] as? String ?? "" })
            for (got, expected) in zip(hub.commits, commits) {
                #expect(normalise(got.files) == normalise(expected["paths"] as? [String] ?? []), "\(got.summary)")
            }
            let requests = Set(hub.log.filter { !$0.path.hasPrefix("/lfs-") }.map { "\($0.method) \($0.path)" })
            #expect(requests.sorted() == (reference["requests"] as? [String] ?? []))
        }
    }

    @Test func everySavePushesTheModelAtEachSave() throws {
        try withHub { hub, dir in
            _ = try train(.everySave, hub: hub, dir: dir)
            #expect(hub.commits.map(\.summary) == ["Training in progress, step 10", "Training in progress, step 20",
                                                   "Training in progress, step 24"])
            for commit in hub.commits { #expect(commit.files == Self.modelFiles, "\(commit)") }
            #expect(!hub.repos["me/tiny-ner", default: [:]].keys.contains { $0.hasPrefix("checkpoint-") })
            let args = String(decoding: hub.repos["me/tiny-ner"]?["training_args.json"] ?? [], as: UTF8.self)
            #expect(args.contains("\"hubToken\" : \"<HUB_TOKEN>\"") && !args.contains(pushToken), "\(args)")
        }
    }

    /// A repository named without an owner is created under the token's user, and every push
    /// goes to the `owner/name` the Hub answered (Python takes `create_repo(...).repo_id`).
    @Test func aNameWithoutAnOwnerGoesToTheTokensUser() throws {
        try withHub { hub, dir in
            hub.userNamespace = "me"
            let run = try train(.end, hub: hub, dir: dir)
            var args = run.trainer.args
            args.hubModelId = "bare-name"
            let trainer = try Trainer(model: run.trainer.model, args: args,
                                      dataCollator: DataCollatorForTokenClassification(tokenizer: try TrainerTests.tokenizer()))
            try trainer.pushToHub()
            #expect(hub.repos["me/bare-name"]?["model.safetensors"] != nil)
            #expect(hub.repos["bare-name"] == nil)
        }
    }

    @Test func tokenNeverInOutputFilesOrErrors() throws {
        try withHub { hub, dir in
            let run = try train(.checkpoint, hub: hub, dir: dir)
            try run.trainer.pushToHub()
            var produced = run.lines
            // A wrong token: the error says what to do and does not repeat the token given.
            var wrong = run.trainer.args
            wrong.hubToken = HubTokenArgument("hf_WrongTokenAbcdefghijklmnop0123")
            let other = try Trainer(model: run.trainer.model, args: wrong,
                                    dataCollator: DataCollatorForTokenClassification(tokenizer: try TrainerTests.tokenizer()))
            do { try other.pushToHub(); Issue.record("a wrong token was accepted") } catch {
                produced.append("\(error)")
                #expect("\(error)".contains("401") && "\(error)".contains("HF_TOKEN"), "\(error)")
                #expect(!"\(error)".contains("hf_WrongTokenAbcdefghijklmnop0123"))
            }
            produced.append("\(run.trainer.args)")
            let walker = FileManager.default.enumerator(atPath: dir)
            var files = 0
            while let relative = walker?.nextObject() as? String {
                guard let data = FileManager.default.contents(atPath: dir + "/" + relative) else { continue }
                produced.append(String(decoding: data, as: UTF8.self)); files += 1
            }
            #expect(files > 10)
            for (repoPath, bytes) in hub.repos["me/tiny-ner"] ?? [:] {
                produced.append(repoPath + String(decoding: bytes, as: UTF8.self))
            }
            for text in produced { #expect(!text.contains(pushToken), "\(text.prefix(200))") }
        }
    }

    @Test func aBadTokenStopsTrainingBeforeItStarts() throws {
        try withHub { hub, dir in
            TrainerHubEndpoint.override = hub.baseURL
            #expect(throws: (any Error).self) {
                try TrainerTests.run(TrainerTests.args(dir) {
                    $0.saveStrategy = .epoch
                    $0.pushToHub = true; $0.hubModelId = "me/early"; $0.hubToken = HubTokenArgument("hf_NotTheRightOne")
                })
            }
            #expect(hub.log.map(\.path) == ["/api/repos/create"])
            #expect(!FileManager.default.fileExists(atPath: dir + "/checkpoint-8"))
        }
    }

    @Test func savingByEpochNamesTheEpoch() throws {
        try withHub { hub, dir in
            TrainerHubEndpoint.override = hub.baseURL
            _ = try TrainerTests.run(TrainerTests.args(dir) {
                $0.saveStrategy = .epoch
                $0.pushToHub = true; $0.hubModelId = "me/by-epoch"; $0.hubToken = HubTokenArgument(pushToken)
            })
            #expect(hub.commits.map(\.summary) == ["Training in progress, epoch 1", "Training in progress, epoch 2",
                                                   "Training in progress, epoch 3"])
            #expect(hub.repos["me/by-epoch"] != nil)
        }
    }

    @Test func checkpointStrategiesPushTheCheckpointToo() throws {
        try withHub { hub, dir in
            _ = try train(.checkpoint, hub: hub, dir: dir)
            #expect(hub.commits.map(\.summary) == [
                "Training in progress, step 10", "Training in progress, step 10, checkpoint",
                "Training in progress, step 20", "Training in progress, step 20, checkpoint",
                "Training in progress, step 24", "Training in progress, step 24, checkpoint"])
            let files = hub.repos["me/tiny-ner"]?.keys.sorted() ?? []
            #expect(files == ["config.json", "last-checkpoint/config.json", "last-checkpoint/model.safetensors",
                              "last-checkpoint/optimizer.safetensors", "last-checkpoint/scheduler.json",
                              "last-checkpoint/trainer_state.json", "last-checkpoint/trainer_state_swift.json",
                              "last-checkpoint/training_args.json",
                              "model.safetensors", "training_args.json"])
        }
        try withHub { hub, dir in
            _ = try train(.allCheckpoints, hub: hub, dir: dir)
            let folders = Set((hub.repos["me/tiny-ner"]?.keys ?? [:].keys).compactMap { $0.split(separator: "/").count > 1 ? String($0.split(separator: "/")[0]) : nil })
            #expect(folders == ["checkpoint-10", "checkpoint-20", "checkpoint-24"])
            #expect(hub.commits.last?.summary == "Training in progress, step 24, checkpoint")
        }
    }
}

@Suite struct ModelPushToHubTests {
    @Test func modelAndTokenizerPushWithTransformersMessages() throws {
        let hub = try TestHub(token: pushToken)
        defer { hub.stop() }
        var uploader = HubUploader(endpoint: hub.baseURL, token: pushToken, environment: [:])
        uploader.backoff = 0.01
        let model = BertForTokenClassification(config: TrainerTests.config, seed: 3)
        let tokenizer = try TrainerTests.tokenizer()

        // The dry run talks to no server: the files and their sizes.
        let planned = try model.pushToHubDryRun()
        #expect(planned.map(\.path) == ["config.json", "model.safetensors"])
        #expect(hub.log.isEmpty)

        let info = try model.pushToHub("me/shared", private: false, uploader: uploader)
        #expect(info.files == planned.map(\.path) && info.lfsFiles == ["model.safetensors"])
        try tokenizer.pushToHub("me/shared", uploader: uploader)
        try model.pushToHub("me/shared", commitMessage: "Second try", uploader: uploader)
        #expect(hub.commits.map(\.summary) == ["Upload model", "Upload tokenizer", "Second try"])
        let stored = hub.repos["me/shared"] ?? [:]
        #expect(stored["model.safetensors"]?.count == planned.first { $0.path == "model.safetensors" }?.size)
        #expect(stored.keys.contains("vocab.txt"), "\(stored.keys.sorted())")
        // The second model push re-sent no LFS object: the Hub had it.
        #expect(hub.log.filter { $0.method == "PUT" }.count == 1)
    }
}

private func bodyJSON(_ request: TestHTTPServer.Request) -> [String: Any] {
    ((try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]) ?? [:]
}

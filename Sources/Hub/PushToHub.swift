import Foundation

// `pushToHub` for anything that can save itself the Hugging Face way (models, tokenizers), as
// transformers' PushToHubMixin does: save into a temporary folder with `savePretrained`, create
// the repository if it is missing, and upload the folder in one commit.
//
//     try model.pushToHub("me/bert-finetuned-ner", commitMessage: "Upload model", private: true)
//     try tokenizer.pushToHub("me/bert-finetuned-ner")       // token: HF_TOKEN or `huggingface-cli login`

/// Something `savePretrained` writes into a folder that `fromPretrained` reads back.
public protocol SavesPretrained {
    /// Writes the object's files (config, weights or vocabulary) into `directory`.
    func savePretrained(_ directory: String) throws
    /// Named in the default commit message ("Upload model", "Upload tokenizer").
    var hubObjectName: String { get }
}

extension SavesPretrained {
    public var hubObjectName: String { "model" }

    /// Saves into a temporary folder and uploads it to `repoId` in one commit (creating the
    /// repository if need be). `token` else HF_TOKEN else the login file; `endpoint` else HF_ENDPOINT.
    @discardableResult
    public func pushToHub(_ repoId: String, commitMessage: String? = nil, private isPrivate: Bool? = nil,
                          token: String? = nil, revision: String = "main", endpoint: String? = nil) throws -> CommitInfo {
        try pushToHub(repoId, commitMessage: commitMessage, private: isPrivate, revision: revision,
                      uploader: HubUploader(endpoint: endpoint, token: token))
    }

    /// The same with a configured uploader (endpoint, token, retries).
    @discardableResult
    public func pushToHub(_ repoId: String, commitMessage: String? = nil, private isPrivate: Bool? = nil,
                          revision: String = "main", uploader: HubUploader) throws -> CommitInfo {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("push-to-hub-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try savePretrained(folder.path)
        // A name without an owner lives under the token's user: upload to the id the Hub answers.
        let repo = try uploader.createRepoReturningId(repoId, private: isPrivate, existOk: true)
        return try uploader.uploadFolder(folder, to: repo, revision: revision,
                                         commitMessage: commitMessage ?? "Upload \(hubObjectName)")
    }

    /// What `pushToHub` would upload, without talking to any server: each file and its size.
    public func pushToHubDryRun() throws -> [(path: String, size: Int)] {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("push-to-hub-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try savePretrained(folder.path)
        return try HubUploader.files(in: folder).map { ($0.path, $0.contents.count) }
    }
}

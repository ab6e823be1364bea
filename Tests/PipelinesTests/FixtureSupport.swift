import Foundation

/// Fixture files next to this test file (found through #filePath, not Bundle.module).
func fixtureURL(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
}

/// A tiny fixture model as a checkpoint directory. The weights are committed as
/// `weights.safetensors` (no file named model.safetensors is kept in git), so the directory is
/// assembled in a temporary folder with the name the loader expects.
func checkpointURL(_ name: String) throws -> URL {
    let fm = FileManager.default
    let source = fixtureURL(name)
    let dir = fm.temporaryDirectory.appendingPathComponent("pipelines-fixture-\(name)-\(UUID().uuidString)")
    try fm.createDirectory(at: dir, withIntermediateDirectories: true)
    for file in try fm.contentsOfDirectory(atPath: source.path) {
        let target = file == "weights.safetensors" ? "model.safetensors" : file
        try fm.copyItem(at: source.appendingPathComponent(file), to: dir.appendingPathComponent(target))
    }
    return dir
}

/// The real-data mirror: $COURSE_MIRROR, else <package root>/../shared/mirror; nil when absent.
let mirrorRoot: URL? = {
    if let env = ProcessInfo.processInfo.environment["COURSE_MIRROR"], !env.isEmpty,
       FileManager.default.fileExists(atPath: env) { return URL(fileURLWithPath: env) }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/mirror")
    return FileManager.default.fileExists(atPath: root.path) ? root : nil
}()

let miniLMDirectory: URL? = mirrorRoot.map { $0.appendingPathComponent("models/sentence-transformers/all-MiniLM-L6-v2") }
    .flatMap { FileManager.default.fileExists(atPath: $0.appendingPathComponent("model.safetensors").path) ? $0 : nil }

/// One entity as the Python pipeline returned it (Scripts/pipelines_fixtures.py).
struct ReferenceEntity: Decodable {
    let entity: String?
    let entity_group: String?
    let score: Double
    let index: Int?
    let word: String
    let start: Int
    let end: Int
}

struct ReferenceLabel: Decodable {
    let label: String
    let score: Double
}

struct PipelinesReference: Decodable {
    let sentences: [String]
    let texts: [String]
    let pairs: [[String]]
    let tokens: [[String]]
    let tokenClassification: [String: [[ReferenceEntity]]]
    let textClassification: [String: [[ReferenceLabel]]]

    static func load() throws -> PipelinesReference {
        try JSONDecoder().decode(PipelinesReference.self, from: Data(contentsOf: fixtureURL("pipelines-reference.json")))
    }
}

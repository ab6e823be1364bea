import Foundation
import TestSupport

/// Fixture files next to this test file (found through #filePath, not Bundle.module).
func fixtureURL(_ name: String) -> URL { TestPaths.fixtures().appendingPathComponent(name) }

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

/// The real-data mirror and the course's model in it (TestSupport); nil when absent.
let mirrorRoot: URL? = TestPaths.mirror
let miniLMDirectory: URL? = TestPaths.miniLM

/// One entity as the Python pipeline returned it (Scripts/fixtures/pipelines_fixtures.py).
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

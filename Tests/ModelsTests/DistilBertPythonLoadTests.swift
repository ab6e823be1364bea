import Foundation
@testable import Models
import Tensor
import Testing
import TestSupport

/// The reference Python: `COURSE_PYTHON`, else `.venv/bin/python` at the package root; nil when
/// neither is an executable (then the tests below are skipped, saying so).
let referencePython: String? = {
    var candidates = [TestPaths.packageRoot.appendingPathComponent(".venv/bin/python").path]
    if let given = ProcessInfo.processInfo.environment["COURSE_PYTHON"], !given.isEmpty { candidates.insert(given, at: 0) }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// A DistilBERT saved here loads in Python transformers with the same logits: the tiny seeded
/// checkpoint after one training step (so its weights are the Swift model's own, not the
/// fixture's), saved with `savePretrained`, loaded by `AutoModelFor…Classification.from_pretrained`
/// in Scripts/fixtures/distilbert_python_logits.py, logits within 1e-5. (The other direction, a
/// checkpoint saved by Python loading here with the same logits, is `DistilBertTests`' parity.)
@Suite(.enabled(if: referencePython != nil, "needs the reference Python (.venv/bin/python or COURSE_PYTHON; Scripts/make-venv.sh)"))
struct DistilBertPythonLoadTests {
    /// Python's answer for one folder: the class it built and the flat logits.
    struct PythonLogits: Decodable {
        let architecture: String
        let shape: [Int]
        let logits: [Float]
    }

    /// Runs the script on `directory`; fails the test with Python's stderr when it does not end well.
    func pythonLogits(_ directory: URL, task: String, ids: [[Int]], mask: [[Int]]) throws -> PythonLogits {
        let python = try #require(referencePython)
        let script = TestPaths.packageRoot.appendingPathComponent("Scripts/fixtures/distilbert_python_logits.py")
        let json = { (rows: [[Int]]) in String(decoding: try JSONEncoder().encode(rows), as: UTF8.self) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, directory.path, task, "--ids", try json(ids), "--mask", try json(mask)]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read stderr on another thread so neither pipe can fill up and block Python.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box(), done = DispatchSemaphore(value: 0), errHandle = err.fileHandleForReading
        Thread { errBox.data = errHandle.readDataToEndOfFile(); done.signal() }.start()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0,
                     "distilbert_python_logits.py failed (status \(process.terminationStatus)):\n\(String(decoding: errBox.data, as: UTF8.self))")
        let line = try #require(String(decoding: output, as: UTF8.self).split(separator: "\n").last)
        return try JSONDecoder().decode(PythonLogits.self, from: Data(line.utf8))
    }

    /// Loads the fixture, takes one SGD step on its batch (lr 0.05), saves, and compares the
    /// Swift model's eval-mode logits with Python's on a batch with padding.
    func check<M: BertClassifier>(_ auto: M.Type, fixture name: String, task: String, labels: [Int32],
                                  expected: String) throws {
        let fx = try DistilFixture.load(name)
        let dir = try fx.checkpoint(name), out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: out) }
        let model = try auto.fromPretrained(dir.path)
        model.train()
        try model.forward(fx.input(), labels: labels).backward()
        var largestChange: Float = 0
        for p in model.parameters {
            let n = p.value.scalars.count
            for i in 0..<n {
                let change = 0.05 * p.grad.data[i]
                p.value.data[i] -= change
                largestChange = max(largestChange, abs(change))
            }
        }
        #expect(largestChange > 1e-3, "the training step hardly changed the weights (\(largestChange))")
        try model.savePretrained(out.path)

        // A batch the fixture did not use, rows 1 and 2 padded.
        let ids = [[2, 40, 11, 57, 6, 3], [2, 9, 3, 0, 0, 0], [2, 63, 1, 30, 3, 0]]
        let mask = ids.map { row in row.enumerated().map { i, v in v == 0 && i > 0 ? 0 : 1 } }
        model.eval()
        let swift = try model.withNoGrad { try model.forward(BertInput(inputIds: ids, attentionMask: mask), labels: nil) }.logits
        let python = try pythonLogits(out, task: task, ids: ids, mask: mask)
        #expect(python.architecture == expected)
        #expect(python.shape == swift.shape)
        let diff = maxAbsDiff(swift.scalars, python.logits)
        // Compared with the fixture's weights, to show the step moved the logits well beyond the tolerance.
        let fixtureLogits = try auto.fromPretrained(dir.path)
        fixtureLogits.eval()
        let before = try fixtureLogits.withNoGrad {
            try fixtureLogits.forward(BertInput(inputIds: ids, attentionMask: mask), labels: nil)
        }.logits
        print("\(expected) saved here, loaded by Python transformers: logits max-abs-diff \(diff) "
            + "(the training step moved them by up to \(maxAbsDiff(before.scalars, swift.scalars)))")
        #expect(swift.scalars.count == python.logits.count)
        #expect(diff <= 1e-5)
        #expect(maxAbsDiff(before.scalars, swift.scalars) > 1e-3)
    }

    @Test func sequenceClassifierSavedHereLoadsInPython() throws {
        try check(AutoModelForSequenceClassification.self, fixture: "distil_seq", task: "sequence", labels: [2, 0, 1],
                  expected: "DistilBertForSequenceClassification")
    }

    @Test func tokenClassifierSavedHereLoadsInPython() throws {
        let labels: [[Int32]] = [[-100, 1, 2, 0, 4, 3, -100, 0],
                                 [-100, 0, 1, -100, -100, -100, -100, -100],
                                 [-100, 3, 4, -100, 0, 2, -100, -100]]
        try check(AutoModelForTokenClassification.self, fixture: "distil_token", task: "token", labels: labels.flatMap { $0 },
                  expected: "DistilBertForTokenClassification")
    }
}

import Foundation
import Metrics
import Models
@testable import Training
import Testing

/// Event files: the bytes equal those of Python's writers (Scripts/fixtures/tensorboard_fixtures.py),
/// the reader checks CRCs, and a Trainer run with `reportTo: [.tensorboard]` writes every logged
/// number under Python's tag at its step.
@Suite struct TensorBoardTests {
    struct Fixture: Decodable {
        struct Record: Decodable { let name: String, hex: String }
        let crc32c_123456789: UInt32, masked_crc32c_123456789: UInt32
        let records: [Record]
    }

    static func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tensorboard_records.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    static func hex(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }

    /// The fixture's CRCs are TensorBoard's own (DigestTests checks the same two numbers).
    @Test func fixtureCRCs() throws {
        let f = try Self.fixture()
        #expect(f.crc32c_123456789 == 0xE306_9283)
        #expect(f.masked_crc32c_123456789 == 3_347_755_237)
    }

    @Test func recordsEqualPythonBytes() throws {
        let f = try Self.fixture()
        let mine: [String: Data] = [
            "file_version": EventProto.record(EventProto.event(wallTime: 1_700_000_000.5, step: 0, fileVersion: "brain.Event:2")),
            "scalar": EventProto.record(EventProto.event(wallTime: 1_700_000_001.25, step: 50,
                                                         summary: EventProto.scalarValue(tag: "train/loss", value: 0.6931))),
            "text": EventProto.record(EventProto.event(wallTime: 1_700_000_002, step: 0,
                                                       summary: EventProto.textValue(tag: "args/text_summary",
                                                                                     text: #"{"learning_rate": 5e-05}"#))),
            "scalar_large_step": EventProto.record(EventProto.event(wallTime: 1_700_000_003, step: 300_000,
                                                                    summary: EventProto.scalarValue(tag: "eval/loss", value: -1.5))),
        ]
        #expect(f.records.count == 4)
        for record in f.records {
            #expect(Self.hex(try #require(mine[record.name])) == record.hex, "\(record.name)")
        }
    }

    @Test func writerFileRoundTrips() throws {
        let dir = TrainerTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let w = try SummaryWriter(logDir: dir + "/runs/a", wallTime: 1_700_000_000)
        try w.addScalar("train/loss", 0.25, step: 10, wallTime: 1_700_000_001)
        try w.addText("args", "hello", wallTime: 1_700_000_002)
        try w.close()
        #expect { try w.addScalar("x", 1, step: 1) } throws: { "\($0)".contains("closed") }
        let name = URL(fileURLWithPath: w.path).lastPathComponent
        #expect(name.hasPrefix("events.out.tfevents.1700000000." + hostName() + ".\(getpid())."))
        let events = try readEventFile(w.path)
        #expect(events.count == 3)
        #expect(events[0].fileVersion == "brain.Event:2" && events[0].wallTime == 1_700_000_000)
        #expect(events[1].step == 10 && events[1].scalars.map(\.tag) == ["train/loss"] && events[1].scalars[0].value == 0.25)
        #expect(events[2].texts.map(\.tag) == ["args/text_summary"] && events[2].texts[0].text == "hello")
        // A flipped byte is caught by the CRC.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: w.path))
        bytes[bytes.count - 6] ^= 1
        try bytes.write(to: URL(fileURLWithPath: w.path))
        #expect { try readEventFile(w.path) } throws: { "\($0)".contains("CRC") }
    }

    @Test func logDirNamesAndTags() {
        var components = DateComponents()
        components.year = 2026; components.month = 12; components.day = 1
        components.hour = 9; components.minute = 5; components.second = 7
        let date = Calendar.current.date(from: components)!
        #expect(defaultLogDir(date: date) == "runs/Dec01_09-05-07_" + hostName())
        #expect(TensorBoardCallback.tag(for: "eval_loss") == "eval/loss")
        #expect(TensorBoardCallback.tag(for: "test_accuracy") == "test/accuracy")
        #expect(TensorBoardCallback.tag(for: "grad_norm") == "train/grad_norm")
        #expect(TensorBoardCallback.tag(for: "epoch") == "train/epoch")
    }

    /// Every number of every log-history entry is in the event file under its tag at its step,
    /// and nothing else is; the arguments and model config are text summaries.
    @Test func trainerRunWritesTheLogHistory() throws {
        let dir = TrainerTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try TrainerTests.run(TrainerTests.args(dir) {
            $0.evalStrategy = .steps; $0.evalSteps = 5; $0.loggingSteps = 4; $0.reportTo = [.tensorboard]
        })
        let tb = try #require(r.trainer.callbacks.first as? TensorBoardCallback)
        let logDir = try #require(tb.logDir)
        #expect(logDir.hasPrefix(dir + "/runs/") && logDir.hasSuffix("_" + hostName()))
        #expect(tb.writer == nil) // closed at train end
        let files = try FileManager.default.contentsOfDirectory(atPath: logDir)
        #expect(files.count == 1 && files[0].hasPrefix("events.out.tfevents."))
        let events = try readEventFile(logDir + "/" + files[0])
        #expect(events.first?.fileVersion == "brain.Event:2")
        #expect(events.flatMap(\.texts).map(\.tag) == ["args/text_summary", "model_config/text_summary"])
        #expect(events.flatMap(\.texts)[1].text.contains("\"hidden_size\" : 32"))
        var written = events.flatMap { e in e.scalars.map { "\($0.tag)@\(e.step)=\($0.value)" } }.sorted()
        var expected: [String] = []
        for entry in r.trainer.state.logHistory {
            let step = Int(entry["step"]!)
            for (key, value) in entry where key != "step" {
                expected.append("\(TensorBoardCallback.tag(for: key))@\(step)=\(Float(value))")
            }
        }
        expected.sort()
        #expect(written == expected)
        written = written.filter { $0.hasPrefix("eval/loss@") }
        #expect(written.count == 5) // steps 5, 10, 15, 20 and the last, 24
        // Python's 14 tags of a run with one metric, wall-clock speeds and FLOs included.
        #expect(Set(expected.map { String($0.prefix { $0 != "@" }) }) == [
            "eval/accuracy", "eval/loss", "eval/runtime", "eval/samples_per_second", "eval/steps_per_second",
            "train/epoch", "train/grad_norm", "train/learning_rate", "train/loss", "train/total_flos",
            "train/train_loss", "train/train_runtime", "train/train_samples_per_second", "train/train_steps_per_second"])
        // The arguments as Python's `args.to_json_string()` names them.
        let argsText = events.flatMap(\.texts)[0].text
        #expect(argsText.contains("\"per_device_train_batch_size\" : 4") && !argsText.contains("perDevice"), "\(argsText)")
    }
}


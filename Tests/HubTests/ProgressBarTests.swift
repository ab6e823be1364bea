import Foundation
import Testing
@testable import Hub

/// Collects what a progress bar writes, and a clock the test moves by hand.
private final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var chunks: [String] = []
    private var time: TimeInterval = 100

    var written: [String] { lock.lock(); defer { lock.unlock() }; return chunks }
    func append(_ text: String) { lock.lock(); chunks.append(text); lock.unlock() }
    var now: TimeInterval { lock.lock(); defer { lock.unlock() }; return time }
    func advance(_ seconds: TimeInterval) { lock.lock(); time += seconds; lock.unlock() }

    func bar(total: Int64?, terminal: Bool, unit: ProgressBar.Unit = .bytes) -> ProgressBar {
        ProgressBar(total: total, description: "model.safetensors", unit: unit,
                    output: .init(isTerminal: terminal) { self.append($0) }, logInterval: 5, clock: { self.now })
    }
}

@Suite struct ProgressBarTests {
    @Test func lineShowsPercentSizesElapsedEtaAndRate() {
        // 40.9 MB of 90.9 MB in 3.3 s: 12.39 MB/s, 50 MB left → ETA 4.0 s.
        let line = ProgressBar.line(description: "model.safetensors", completed: 40_900_000, total: 90_900_000,
                                    elapsed: 3.3, unit: .bytes, barWidth: 20)
        #expect(line == "model.safetensors  44%|████████▉" + String(repeating: " ", count: 11) + "| 40.9MB/90.9MB [00:03<00:04, 12.4MB/s]")
        let log = ProgressBar.line(description: "train", completed: 250, total: 1000, elapsed: 125,
                                   unit: .items("it"), barWidth: 0)
        #expect(log == "train  25% 250/1000 [02:05<06:15, 2.00it/s]")
        let unknown = ProgressBar.line(description: "", completed: 1536, total: nil, elapsed: 2, unit: .bytes, barWidth: 20)
        #expect(unknown == "1.54kB [00:02, 768B/s]")
        #expect(ProgressBar.clockTime(3725) == "1:02:05")
        // A resumed task: the 500 done before this run count in the size, not in the rate.
        let resumed = ProgressBar.line(description: "f", completed: 600, total: 1000, elapsed: 10,
                                       unit: .items("it"), barWidth: 0, initial: 500)
        #expect(resumed == "f  60% 600/1000 [00:10<00:40, 10.00it/s]")
        let withLoss = ProgressBar.line(description: "epoch 1", completed: 3, total: nil, elapsed: 1,
                                        unit: .items("it"), barWidth: 0, postfix: "loss=0.231")
        #expect(withLoss == "epoch 1 3 [00:01, 3.00it/s, loss=0.231]")
    }

    @Test func barUsesEighthBlocksAndKeepsItsWidth() {
        #expect(ProgressBar.bar(0, width: 4) == "    ")
        #expect(ProgressBar.bar(0.5, width: 4) == "██  ")
        #expect(ProgressBar.bar(0.53125, width: 4) == "██▏ ")
        #expect(ProgressBar.bar(1, width: 4) == "████")
    }

    @Test func logOutputIsPlainPeriodicLines() {
        let recorder = Recorder()
        let bar = recorder.bar(total: 1000, terminal: false)
        for _ in 0..<12 {              // 12 updates, one per second
            recorder.advance(1)
            bar.advance(by: 50)
        }
        bar.update(to: 1000)
        bar.finish()
        bar.finish()                   // a second finish writes nothing
        let lines = recorder.written
        // A line at 5 s and at 10 s since the last, then the final one.
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.hasSuffix("\n") && !$0.contains("\r") && !$0.contains("█") })
        #expect(lines[0] == "model.safetensors  25% 250B/1.00kB [00:05<00:15, 50B/s]\n")
        #expect(lines[2].hasPrefix("model.safetensors 100% 1.00kB/1.00kB [00:12<00:00,"))
    }

    @Test func terminalOutputRedrawsOneLine() {
        let recorder = Recorder()
        let bar = recorder.bar(total: 10, terminal: true, unit: .items("it"))
        for step in 0..<10 {
            recorder.advance(0.25)
            bar.set(postfix: "loss=\(10 - step)")
            bar.advance()
        }
        bar.finish()
        let written = recorder.written
        #expect(written.count == 11)   // every update is ≥ 0.1 s after the last draw, plus the final one
        #expect(written.allSatisfy { $0.hasPrefix("\r") })
        #expect(written.dropLast().allSatisfy { !$0.hasSuffix("\n") })
        #expect(written.last?.contains("100%|████████████████████| 10/10 [00:03<00:00, 4.00it/s, loss=1]") == true)
        #expect(written.last?.hasSuffix("\u{1B}[K\n") == true)
    }
}

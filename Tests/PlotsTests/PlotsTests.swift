import Foundation
import Testing
@testable import Plots

// SVG structure, tick choice, determinism and errors of the Plots module.

struct TicksTests {
    @Test func niceStepsAndBounds() {
        let t = Ticks(minimum: 0.173, maximum: 0.912)
        #expect(t.step == 0.2)
        #expect(t.lower == 0)
        #expect(abs(t.upper - 1.0) < 1e-12)
        #expect(t.labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func epochsGetWholeNumbers() {
        let t = Ticks(minimum: 1, maximum: 3)
        #expect(t.decimals == 1)   // a step of 0.5 for 2 units split in about 5
        #expect(t.labels == ["1.0", "1.5", "2.0", "2.5", "3.0"])
        let wide = Ticks(minimum: 0, maximum: 30)
        #expect(wide.step == 10)
        #expect(wide.labels == ["0", "10", "20", "30"])
    }

    @Test func singleValueGetsARange() {
        let t = Ticks(minimum: 2, maximum: 2)
        #expect(t.lower < 2 && t.upper > 2)
        let zero = Ticks(minimum: 0, maximum: 0)
        #expect(zero.lower == -1 && zero.upper == 1)
    }

    @Test func noDriftAtExactMultiples() {
        let t = Ticks(minimum: 0.1, maximum: 0.3, target: 2)
        #expect(t.step == 0.1)
        #expect(t.values.count == 3)
        #expect(t.labels == ["0.1", "0.2", "0.3"])
    }
}

struct LinePlotTests {
    func sample() throws -> LinePlot {
        var plot = LinePlot(title: "Loss <train>", xLabel: "epoch", yLabel: "loss")
        try plot.addSeries(name: "training", x: [1, 2, 3], y: [0.9, 0.5, 0.3])
        try plot.addSeries(name: "validation & test", x: [1, 2, 3], y: [0.8, 0.6, 0.55])
        return plot
    }

    @Test func svgStructure() throws {
        let svg = try sample().svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 480 320\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.components(separatedBy: "<circle").count - 1 == 6)
        #expect(svg.contains("Loss &lt;train&gt;"), "titles are escaped")
        #expect(svg.contains(">validation &amp; test</text>"), "legend names are escaped")
        #expect(svg.contains("prefers-color-scheme: dark"), "carries its own dark-mode colours")
        #expect(svg.contains(">0.2</text>") && svg.contains(">1.0</text>"), "y ticks at nice numbers")
        // The first point of the first series sits at x = 1 (the left edge) and y = 0.9.
        #expect(svg.contains("<polyline class=\"line s0\" points=\"58,"))
    }

    @Test func legendAvoidsTheLine() throws {
        // A rising line ends in the top-right corner: the legend moves to the bottom right.
        var plot = LinePlot(title: "F1", xLabel: "epoch", yLabel: "f1")
        try plot.addSeries(name: "validation", x: [1, 2, 3], y: [0.8, 0.85, 0.9])
        let svg = try plot.svg()
        let legendY = try #require(svg.components(separatedBy: "text-anchor=\"end\">validation</text>").first?
            .components(separatedBy: " y=\"").last.flatMap { Double($0.prefix { $0 != "\"" }) })
        #expect(legendY > 320 / 2, "legend at the bottom, got y \(legendY)")
    }

    @Test func deterministicBytes() throws {
        #expect(try sample().svg() == sample().svg())
    }

    @Test func errorsSayWhatToDo() {
        var plot = LinePlot(title: "t", xLabel: "x", yLabel: "y")
        #expect(throws: PlotError.self) { try plot.svg() }
        do {
            try plot.addSeries(name: "bad", x: [1, 2], y: [0.5, .nan])
            Issue.record("NaN accepted")
        } catch {
            #expect(error.description.contains("non-finite point at index 1"))
        }
        #expect(throws: PlotError.self) { try plot.addSeries(name: "short", x: [1, 2], y: [1]) }
        #expect(throws: PlotError.self) { try plot.addSeries(name: "empty", x: [], y: []) }
    }

    @Test func saveFigureWritesUnderFigures() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plots-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(dir.path)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        let svg = try sample().svg()
        let path = try saveFigure(svg, name: "loss.svg")
        #expect(path == "figures/loss.svg")
        #expect(FileManager.default.contents(atPath: dir.appendingPathComponent("figures/loss.svg").path) == Data(svg.utf8))
        #expect(throws: PlotError.self) { try saveFigure(svg, name: "../x.svg") }
    }
}

struct TrainingCurvesTests {
    // Shaped like Trainer.state.logHistory: training logs, evaluations, then the train summary.
    let history: [[String: Double]] = [
        ["epoch": 0.5, "loss": 0.9, "step": 10],
        ["epoch": 1, "loss": 0.6, "step": 20],
        ["epoch": 1, "eval_loss": 0.5, "eval_f1": 0.81, "step": 20],
        ["epoch": 1.5, "loss": 0.4, "step": 30],
        ["epoch": 2, "loss": 0.3, "step": 40],
        ["epoch": 2, "eval_loss": 0.45, "eval_f1": 0.86, "step": 40],
        ["epoch": 2, "train_loss": 0.55, "train_runtime": 12, "step": 40],
    ]

    @Test func lossAndMetricPanels() throws {
        let plots = try trainingCurves(logHistory: history, metric: "eval_f1")
        #expect(plots.count == 2)
        // The log's own keys label everything: one figure for every translation of a chapter.
        #expect(plots[0].series.map(\.name) == ["loss", "eval_loss"] && plots[0].title == "loss, eval_loss")
        #expect(plots[0].series[0].x == [0.5, 1, 1.5, 2])
        #expect(plots[0].series[1].y == [0.5, 0.45])
        #expect(plots[1].title == "eval_f1" && plots[1].series[0].name == "eval_f1")
        #expect(plots[1].series[0].y == [0.81, 0.86])
        #expect(plots[0].series.map(\.color) == [0, 1] && plots[1].series[0].color == 1, "validation keeps its colour")
        #expect(plots[0].xDomain == 0...2 && plots[1].xDomain == 0...2, "both panels span the same epochs from 0")
        let svg = try trainingCurvesSVG(logHistory: history)
        #expect(svg.contains("viewBox=\"0 0 960 320\""), "two panels side by side")
        #expect(svg == (try trainingCurvesSVG(logHistory: history)))
    }

    @Test func stepsOnTheXAxis() throws {
        let plots = try trainingCurves(logHistory: history, metric: "eval_f1", x: "step")
        #expect(plots[0].xLabel == "step" && plots[1].xLabel == "step")
        #expect(plots[0].series[1].x == [20, 40])
        #expect(plots[1].xDomain == 0...40)
    }

    @Test func missingDataIsAClearError() {
        #expect(throws: PlotError.self) { try trainingCurves(logHistory: []) }
        do {
            _ = try trainingCurves(logHistory: history, metric: "eval_accuracy")
            Issue.record("missing metric accepted")
        } catch {
            #expect(error.description.contains("evaluation keys present: eval_f1, eval_loss"))
        }
        #expect(throws: PlotError.self) { try trainingCurves(logHistory: [["epoch": 1, "step": 3]]) }
    }
}

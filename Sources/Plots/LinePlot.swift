import Files
import Foundation

// Line plots as SVG text: no dependencies, deterministic bytes (fixed decimals, stable order),
// readable in light and dark mode (the SVG carries its own `prefers-color-scheme` style, which
// browsers apply to SVGs shown with <img>).

/// What went wrong making a figure; the message says what to do.
public struct PlotError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}

/// One named line: points (x[i], y[i]) joined in the order given.
public struct Series: Sendable, Equatable {
    /// The name the legend shows.
    public var name: String
    /// The points' x values (finite), in drawing order.
    public var x: [Double]
    /// The points' y values (finite), one per x value.
    public var y: [Double]
    /// Palette entry (0...5; blue, orange, green, purple, red, cyan): the same name can keep
    /// its colour across panels.
    public var color: Int
}

/// A line chart with a title, axis labels, nice-number ticks and a legend.
///
///     var plot = LinePlot(title: "Loss", xLabel: "epoch", yLabel: "loss")
///     try plot.addSeries(name: "training", x: [1, 2, 3], y: [0.9, 0.5, 0.3])
///     try plot.save(to: "figures/loss.svg")
public struct LinePlot: Sendable {
    /// The title above the plot.
    public var title: String
    /// The x axis's label.
    public var xLabel: String
    /// The y axis's label.
    public var yLabel: String
    /// The lines, in the order added (and drawn); add with `addSeries`.
    public private(set) var series: [Series] = []

    /// Size of the whole SVG in CSS pixels (it scales to its container: it has a viewBox).
    public var width = 480.0
    /// The SVG's height in CSS pixels (see `width`).
    public var height = 320.0
    /// x values the axis covers even without data there (e.g. every panel from epoch 0).
    public var xDomain: ClosedRange<Double>?

    /// An empty plot; add lines with `addSeries`.
    public init(title: String, xLabel: String, yLabel: String) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    /// Adds a line. `x` and `y` must have the same, non-zero length and hold finite numbers.
    /// `color` picks a palette entry (default: the next one).
    public mutating func addSeries(name: String, x: [Double], y: [Double], color: Int? = nil) throws(PlotError) {
        guard x.count == y.count else {
            throw PlotError("series '\(name)' has \(x.count) x values but \(y.count) y values: give one y per x")
        }
        guard !x.isEmpty else { throw PlotError("series '\(name)' is empty: give it at least one point") }
        if let i = x.indices.first(where: { !x[$0].isFinite || !y[$0].isFinite }) {
            throw PlotError("series '\(name)' has a non-finite point at index \(i) (x \(x[i]), y \(y[i])): "
                + "NaN or infinity cannot be drawn; check the values (a diverged loss?)")
        }
        series.append(Series(name: name, x: x, y: y, color: (color ?? series.count) % SVGStyle.palette))
    }

    /// The plot as a standalone SVG document.
    public func svg() throws(PlotError) -> String {
        try Figure(panels: [self]).svg()
    }

    /// Writes `svg()` to `path` (the directory must exist; `saveFigure` creates `figures/`).
    public func save(to path: String) throws {
        try writeText(svg(), to: path)
    }
}

/// Plots side by side in one SVG (e.g. loss and metric per epoch).
public struct Figure: Sendable {
    /// The plots, left to right; the figure is as wide as their widths together.
    public var panels: [LinePlot]
    /// A figure of these plots side by side.
    public init(panels: [LinePlot]) { self.panels = panels }

    /// The figure as a standalone SVG document (an error for a figure without plots).
    public func svg() throws(PlotError) -> String {
        guard !panels.isEmpty else { throw PlotError("a figure needs at least one plot") }
        let width = panels.reduce(0) { $0 + $1.width }
        let height = panels.map(\.height).max() ?? 0
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" "
            + "width=\"\(fmt(width))\" height=\"\(fmt(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += SVGStyle.css
        var x = 0.0
        for panel in panels {
            out += try PanelRenderer(plot: panel, originX: x).render()
            x += panel.width
        }
        out += "</svg>\n"
        return out
    }

    /// Writes `svg()` to `path` (the directory must exist).
    public func save(to path: String) throws {
        try writeText(svg(), to: path)
    }
}

/// Writes `svg` to `figures/<name>` under the current directory (creating `figures/`), where
/// `course run --bless` collects it. `name` is a file name such as `curves.svg`.
@discardableResult
public func saveFigure(_ svg: String, name: String) throws -> String {
    guard !name.isEmpty, !name.contains("/"), name.hasSuffix(".svg") else {
        throw PlotError("figure name '\(name)' must be a file name ending in .svg, without '/' (e.g. \"curves.svg\")")
    }
    do { try FileManager.default.createDirectory(atPath: "figures", withIntermediateDirectories: true) } catch {
        throw PlotError("cannot create the folder figures/ for \(name): \(FileProblem.describe(error, path: "figures"))")
    }
    let path = "figures/\(name)"
    try writeText(svg, to: path)
    return path
}

func writeText(_ text: String, to path: String) throws {
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    } catch {
        throw PlotError("cannot write \(path): \(FileProblem.describe(error))")
    }
}

/// Fixed-precision numbers without a trailing ".00" (SVG coordinates, stable bytes).
func fmt(_ value: Double, decimals: Int = 2) -> String {
    var s = String(format: "%.\(decimals)f", value)
    if s.contains(".") {
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
    }
    return s == "-0" ? "0" : s
}

/// Text for SVG content and attributes.
func escapeXML(_ text: String) -> String {
    var out = ""
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}

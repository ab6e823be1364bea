// One plot panel as SVG elements: frame, grid, ticks, labels, lines, points and legend.

/// Colours: CSS classes `s0`...`s5` in `SVGStyle`, each with a light and a dark variant.
enum SVGStyle {
    static let palette = 6
    static let css = """
        <style>
        .fg{fill:#222}.axis{stroke:#444;stroke-width:1;fill:none}.grid{stroke:#ddd;stroke-width:1}
        .line{fill:none;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
        .s0{stroke:#1d4ed8;fill:#1d4ed8}.s1{stroke:#c2410c;fill:#c2410c}.s2{stroke:#15803d;fill:#15803d}
        .s3{stroke:#7e22ce;fill:#7e22ce}.s4{stroke:#b91c1c;fill:#b91c1c}.s5{stroke:#0e7490;fill:#0e7490}
        .line.s0,.line.s1,.line.s2,.line.s3,.line.s4,.line.s5{fill:none}
        @media (prefers-color-scheme: dark){
        .fg{fill:#e5e5e5}.axis{stroke:#bbb}.grid{stroke:#444}
        .s0{stroke:#60a5fa;fill:#60a5fa}.s1{stroke:#fb923c;fill:#fb923c}.s2{stroke:#4ade80;fill:#4ade80}
        .s3{stroke:#c084fc;fill:#c084fc}.s4{stroke:#f87171;fill:#f87171}.s5{stroke:#22d3ee;fill:#22d3ee}
        .line.s0,.line.s1,.line.s2,.line.s3,.line.s4,.line.s5{fill:none}
        }
        </style>

        """
}

struct PanelRenderer {
    var plot: LinePlot
    var originX: Double

    // Margins inside the panel: room for the title, tick labels and axis labels.
    let left = 58.0, right = 14.0, top = 34.0, bottom = 46.0

    func render() throws(PlotError) -> String {
        guard !plot.series.isEmpty else {
            throw PlotError("plot '\(plot.title)' has no series: call addSeries(name:x:y:) before svg()")
        }
        let xs = plot.series.flatMap(\.x), ys = plot.series.flatMap(\.y)
        let xt = Ticks(minimum: min(xs.min() ?? 0, plot.xDomain?.lowerBound ?? .infinity),
                       maximum: max(xs.max() ?? 1, plot.xDomain?.upperBound ?? -.infinity))
        let yt = Ticks(minimum: ys.min() ?? 0, maximum: ys.max() ?? 1)
        let x0 = originX + left, x1 = originX + plot.width - right
        let y0 = plot.height - bottom, y1 = top
        func px(_ x: Double) -> Double { x0 + (x - xt.lower) / (xt.upper - xt.lower) * (x1 - x0) }
        func py(_ y: Double) -> Double { y0 - (y - yt.lower) / (yt.upper - yt.lower) * (y0 - y1) }

        var out = "<g>\n"
        out += "<text class=\"fg\" x=\"\(fmt((x0 + x1) / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">\(escapeXML(plot.title))</text>\n"
        for (value, label) in zip(yt.values, yt.labels) {
            let y = fmt(py(value))
            out += "<line class=\"grid\" x1=\"\(fmt(x0))\" y1=\"\(y)\" x2=\"\(fmt(x1))\" y2=\"\(y)\"/>"
            out += "<text class=\"fg\" x=\"\(fmt(x0 - 6))\" y=\"\(y)\" dy=\"4\" text-anchor=\"end\">\(label)</text>\n"
        }
        for (value, label) in zip(xt.values, xt.labels) {
            let x = fmt(px(value))
            out += "<line class=\"axis\" x1=\"\(x)\" y1=\"\(fmt(y0))\" x2=\"\(x)\" y2=\"\(fmt(y0 + 4))\"/>"
            out += "<text class=\"fg\" x=\"\(x)\" y=\"\(fmt(y0 + 17))\" text-anchor=\"middle\">\(label)</text>\n"
        }
        out += "<rect class=\"axis\" x=\"\(fmt(x0))\" y=\"\(fmt(y1))\" width=\"\(fmt(x1 - x0))\" height=\"\(fmt(y0 - y1))\"/>\n"
        out += "<text class=\"fg\" x=\"\(fmt((x0 + x1) / 2))\" y=\"\(fmt(plot.height - 8))\" text-anchor=\"middle\">\(escapeXML(plot.xLabel))</text>\n"
        let midY = fmt((y0 + y1) / 2)
        out += "<text class=\"fg\" x=\"\(fmt(originX + 14))\" y=\"\(midY)\" text-anchor=\"middle\" transform=\"rotate(-90 \(fmt(originX + 14)) \(midY))\">\(escapeXML(plot.yLabel))</text>\n"

        for series in plot.series {
            let cls = "s\(series.color)"
            let points = zip(series.x, series.y).map { "\(fmt(px($0))),\(fmt(py($1)))" }
            if points.count > 1 {
                out += "<polyline class=\"line \(cls)\" points=\"\(points.joined(separator: " "))\"/>\n"
            }
            // Markers where points are few (per-epoch evaluations), so single points show too.
            if series.x.count <= 15 {
                for (x, y) in zip(series.x, series.y) {
                    out += "<circle class=\"\(cls)\" cx=\"\(fmt(px(x)))\" cy=\"\(fmt(py(y)))\" r=\"3\"/>"
                }
                out += "\n"
            }
        }
        // Legend: inside the frame, in the corner that covers the fewest points.
        let legendWidth = 34 + 7 * Double(plot.series.map(\.name.count).max() ?? 0)
        let legendHeight = 8 + 16 * Double(plot.series.count)
        let pixels = plot.series.flatMap { s in zip(s.x, s.y).map { (px($0), py($1)) } }
        let corners = [(x1, y1), (x1, y0 - legendHeight), (x0 + legendWidth, y1), (x0 + legendWidth, y0 - legendHeight)]
        let covered = corners.map { corner in
            pixels.filter { $0.0 >= corner.0 - legendWidth - 6 && $0.0 <= corner.0 + 6 && $0.1 >= corner.1 - 6 && $0.1 <= corner.1 + legendHeight + 6 }.count
        }
        let best = covered.indices.min { (covered[$0], $0) < (covered[$1], $1) } ?? 0
        let (legendRight, legendTop) = corners[best]
        for (index, series) in plot.series.enumerated() {
            let cls = "s\(series.color)"
            let y = legendTop + 14 + Double(index) * 16
            let lx = legendRight - 10
            out += "<line class=\"line \(cls)\" x1=\"\(fmt(lx - 18))\" y1=\"\(fmt(y - 4))\" x2=\"\(fmt(lx))\" y2=\"\(fmt(y - 4))\"/>"
            out += "<text class=\"fg\" x=\"\(fmt(lx - 24))\" y=\"\(fmt(y))\" text-anchor=\"end\">\(escapeXML(series.name))</text>\n"
        }
        out += "</g>\n"
        return out
    }
}

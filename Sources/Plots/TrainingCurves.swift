// Training curves from a Trainer's log history (`trainer.state.logHistory`): one entry per
// log or evaluation, e.g. ["epoch": 0.5, "loss": 0.91, "step": 20] for training logs and
// ["epoch": 1, "eval_loss": 0.42, "eval_f1": 0.88, "step": 40] for evaluations. Plain
// dictionaries, so this module does not depend on Training.

/// Two plots: training and validation loss per epoch, and `metric` per epoch; with
/// `x: "step"`, against optimizer steps instead (for step-wise evaluation).
/// Titles, axes and legends are the log's own keys (`loss`, `eval_loss`, `eval_f1`, `epoch`),
/// as the Trainer prints them: no words of any one language, so a chapter's figure serves
/// every translation of it.
/// Throws when the history has no training or evaluation loss to draw.
public func trainingCurves(logHistory: [[String: Double]], metric: String = "eval_f1",
                           x xKey: String = "epoch") throws(PlotError) -> [LinePlot] {
    func points(_ key: String) -> (x: [Double], y: [Double]) {
        var x: [Double] = [], y: [Double] = []
        for entry in logHistory {
            if let value = entry[key], let position = entry[xKey] { x.append(position); y.append(value) }
        }
        return (x, y)
    }
    guard !logHistory.isEmpty else {
        throw PlotError("the log history is empty: train first (trainer.train()), then plot trainer.state.logHistory")
    }
    var loss = LinePlot(title: "loss, eval_loss", xLabel: xKey, yLabel: "loss")
    let train = points("loss"), validation = points("eval_loss")
    // Validation is orange in both panels; both panels span the same epochs, from 0.
    if !train.x.isEmpty { try loss.addSeries(name: "loss", x: train.x, y: train.y, color: 0) }
    if !validation.x.isEmpty { try loss.addSeries(name: "eval_loss", x: validation.x, y: validation.y, color: 1) }
    guard !loss.series.isEmpty else {
        throw PlotError("the log history has no 'loss' or 'eval_loss' entries with an '\(xKey)': "
            + "set loggingSteps or evalStrategy so the Trainer logs them")
    }
    let values = points(metric)
    if values.x.isEmpty {
        let known = Set(logHistory.flatMap(\.keys)).filter { $0.hasPrefix("eval_") }.sorted()
        throw PlotError("the log history has no '\(metric)' entries; evaluation keys present: "
            + (known.isEmpty ? "none (is evalStrategy set?)" : known.joined(separator: ", ")))
    }
    let epochs = (train.x + validation.x + values.x)
    let domain = 0...max(epochs.max() ?? 1, 0)
    loss.xDomain = domain
    var metricPlot = LinePlot(title: metric, xLabel: xKey, yLabel: metric)
    metricPlot.xDomain = domain
    try metricPlot.addSeries(name: metric, x: values.x, y: values.y, color: 1)
    return [loss, metricPlot]
}

/// Both training-curve plots side by side in one SVG document.
public func trainingCurvesSVG(logHistory: [[String: Double]], metric: String = "eval_f1",
                              x: String = "epoch") throws(PlotError) -> String {
    try Figure(panels: trainingCurves(logHistory: logHistory, metric: metric, x: x)).svg()
}

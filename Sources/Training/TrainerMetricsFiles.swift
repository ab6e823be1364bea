import Files
import Foundation
import Metrics
import PythonStyle

// Python Trainer's `log_metrics` and `save_metrics`: the `***** train metrics *****` block on
// stdout and the `<split>_results.json` / `all_results.json` files the example scripts leave in
// the output folder. (`saveState()`, Python's `save_state`, is in TrainerBestModel.swift.)

extension Trainer {
    /// Prints `***** <split> metrics *****` and one line per metric, keys sorted and padded to the
    /// longest, values right-aligned, as Python's `log_metrics` does: floats rounded to 4
    /// decimals, `*_runtime` as h:mm:ss.cc, `total_flos` in GF. World process zero only.
    public func logMetrics(split: String, metrics: MetricResult) {
        guard isWorldProcessZero else { return }
        for line in Self.metricsBlock(split: split, metrics: metrics) { printLine(line) }
    }

    /// The lines `logMetrics` prints.
    public static func metricsBlock(split: String, metrics: MetricResult) -> [String] {
        let shown = metrics.entries.map { ($0.key, formatMetric($0.key, $0.value)) }.sorted { $0.0 < $1.0 }
        let keyWidth = shown.map(\.0.count).max() ?? 0, valueWidth = shown.map(\.1.count).max() ?? 0
        return ["***** \(split) metrics *****"] + shown.map { key, value in
            "  " + key.padding(toLength: keyWidth, withPad: " ", startingAt: 0) + " = "
                + String(repeating: " ", count: valueWidth - value.count) + value
        }
    }

    /// One value as Python's `metrics_format` shows it.
    static func formatMetric(_ key: String, _ value: MetricValue) -> String {
        switch value {
        case .int(let n):
            return key == "total_flos" ? "\(n >> 30)GF" : String(n)
        case .double(let x):
            if key.hasSuffix("_runtime") || key.contains("_runtime_") {
                let whole = Int(x), centis = Int(abs(x - Double(whole)) * 100)
                return String(format: "%d:%02d:%02d.%02d", whole / 3600, whole / 60 % 60, whole % 60, centis)
            }
            if key == "total_flos" { return "\(Int(x) >> 30)GF" }
            return pythonRepr((x * 10_000).rounded(.toNearestOrEven) / 10_000)
        case .nested(let r):
            return r.description
        }
    }

    /// Writes `<split>_results.json` (indent 4, sorted keys) and, with `combined`, merges the
    /// metrics into `all_results.json`, as Python's `save_metrics`. World process zero only.
    public func saveMetrics(split: String, metrics: MetricResult, combined: Bool = true) throws {
        guard isWorldProcessZero else { return }
        let dir = URL(fileURLWithPath: args.outputDir)
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw TrainerError("cannot create \(dir.path): \(FileProblem.describe(error))")
        }
        var values = Self.flatMetrics(metrics)
        try Self.writeMetricsJSON(values, to: dir.appendingPathComponent("\(split)_results.json"))
        guard combined else { return }
        let all = dir.appendingPathComponent("all_results.json")
        if let data = try? Data(contentsOf: all), let old = try? Self.readMetricsJSON(data) {
            values = old.merging(values) { _, new in new }
        }
        try Self.writeMetricsJSON(values, to: all)
    }

    /// Metric values as JSON number literals by key (nested results flattened as `key_inner`).
    static func flatMetrics(_ metrics: MetricResult) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in metrics.entries {
            switch value {
            case .int(let n): out[key] = String(n)
            case .double(let x): out[key] = x.isFinite ? pythonRepr(x) : (x.isNaN ? "NaN" : (x > 0 ? "Infinity" : "-Infinity"))
            case .nested(let r): for (k, v) in flatMetrics(r) { out[key + "_" + k] = v }
            }
        }
        return out
    }

    /// `json.dump(metrics, indent=4, sort_keys=True)` of number literals.
    static func writeMetricsJSON(_ values: [String: String], to url: URL) throws {
        let body = values.keys.sorted().map { "    \(pythonJSONString($0)): \(values[$0] ?? "null")" }.joined(separator: ",\n")
        let text = values.isEmpty ? "{}" : "{\n" + body + "\n}"
        do { try Data(text.utf8).write(to: url, options: .atomic) } catch {
            throw TrainerError("cannot write \(url.path): \(FileProblem.describe(error))")
        }
    }

    /// Reads back a metrics file as number literals (exact: the text is kept, not re-printed).
    static func readMetricsJSON(_ data: Data) throws -> [String: String] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var out: [String: String] = [:]
        for (key, value) in object {
            if let n = value as? NSNumber { out[key] = n.stringValue } else if value is NSNull { out[key] = "null" }
        }
        // Re-read the literal text of each number so nothing drifts by an ulp (FACTS.md).
        let text = String(decoding: data, as: UTF8.self)
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            let literal = parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: ","))
            if out[key] != nil { out[key] = literal }
        }
        return out
    }
}

// JUnit XML for CI dashboards: one <testsuite> per chapter, one <testcase> per step.

public enum JUnitReport {
    public static func xml(_ results: [ChapterResult]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let total = results.reduce(Summary()) { var s = $0; s.add($1); return s }
        let time = results.reduce(0.0) { $0 + $1.compileSeconds + $1.runSeconds }
        out += "<testsuites name=\"course check\" tests=\"\(total.passed + total.failed + total.skipped)\" failures=\"\(total.failed)\" skipped=\"\(total.skipped)\" time=\"\(format(time))\">\n"
        for r in results {
            out += "  <testsuite name=\"\(escape(r.chapter.path))\" tests=\"\(r.steps.count)\" failures=\"\(r.failed)\" skipped=\"\(r.skipped)\" time=\"\(format(r.compileSeconds + r.runSeconds))\">\n"
            for s in r.steps {
                out += "    <testcase classname=\"\(escape(r.chapter.id))\" name=\"\(escape(s.step.label))\" file=\"\(escape(r.chapter.path))\" line=\"\(s.step.fenceLine)\" time=\"\(format(s.seconds))\""
                switch s.outcome {
                case .passed:
                    out += "/>\n"
                case .skipped(let why):
                    out += ">\n      <skipped message=\"\(escape(why.description))\"/>\n    </testcase>\n"
                case .failed(let text), .compileError(let text), .crashed(let text):
                    out += failure(kindName(s.outcome), text)
                case .notRun(let why):
                    out += failure(kindName(s.outcome), why.description)
                case .timedOut(let seconds, let limit):
                    out += ">\n      <failure type=\"timeout\" message=\"timed out after \(format(seconds)) s\">\(escape(limit))</failure>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    static func kindName(_ outcome: StepOutcome) -> String {
        switch outcome {
        case .failed: return "mismatch"
        case .compileError: return "compile-error"
        case .crashed: return "crash"
        case .notRun: return "not-run"
        case .timedOut: return "timeout"
        case .passed, .skipped: return ""
        }
    }

    /// A failed test case's closing: the failure's first line as its message, the whole as its text.
    static func failure(_ kind: String, _ text: String) -> String {
        let first = text.split(separator: "\n").first.map(String.init) ?? kind
        return ">\n      <failure type=\"\(kind)\" message=\"\(escape(first))\">\(escape(text))</failure>\n    </testcase>\n"
    }

    static func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

    static func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                // XML 1.0 forbids most control characters, even escaped.
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { out += "?" }
                else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}

import Foundation

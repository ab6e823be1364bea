import Foundation
import Models
import Testing
import Training
@testable import FineTuneKit

/// `--quantize` (not a Python run_glue/run_ner option): maps onto `TrainingArguments.evalQuantization`,
/// defaults to none, and rejects other values naming the choices.
@Suite struct QuantizeOptionTests {
    let base = ["--model_name_or_path", "m", "--do_predict", "--test_file", "t.csv"]

    @Test func quantizeMapsOntoEvalQuantization() throws {
        let on = try FineTuneOptions(try OptionParser.parse(base + ["--quantize", "int8-dynamic"], task: .textClassification))
        #expect(on.training.evalQuantization == .int8Dynamic)
        let off = try FineTuneOptions(try OptionParser.parse(base, task: .tokenClassification))
        #expect(off.training.evalQuantization == Quantization.none)
        #expect(OptionTable.spec("quantize", for: .textClassification)?.help.contains("Not a Python") == true)
    }

    @Test func otherValuesAreAnError() {
        #expect { _ = try OptionParser.parse(base + ["--quantize", "int4"], task: .textClassification) } throws: {
            "\($0)".contains("int8-dynamic")
        }
    }
}

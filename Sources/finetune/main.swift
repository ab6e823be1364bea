// `finetune`: transformers' run_glue.py / run_ner.py as one Swift command. Everything lives in
// FineTuneKit (FineTuneCommand), so it is tested without a child process; this only runs it.
import FineTuneKit
import Foundation

setvbuf(stdout, nil, _IOLBF, 0)
exit(FineTuneCommand.main(Array(CommandLine.arguments.dropFirst())))

import Distributed
import Foundation
import Hub

// The whole command behind `finetune`: the executable only passes its arguments here and exits
// with the status this returns, so tests run the command without a child process.

/// `finetune <subcommand> ...` as a function.
public enum FineTuneCommand {
    /// Runs the command for `arguments` (without the program name) and returns the exit status:
    /// 0 done, 2 a usage or data error (its message on stderr), 1 a failure while running.
    public static func main(_ arguments: [String], hub: Hub = .shared, printLine: @escaping (String) -> Void = { print($0) },
                            errorLine: (String) -> Void = standardError) -> Int32 {
        guard let first = arguments.first, !["-h", "--help", "help"].contains(first) else {
            printLine(HelpText.usage)
            return arguments.isEmpty ? 2 : 0
        }
        guard let task = FineTuneTask(rawValue: first) else {
            let near = closest(to: first, in: FineTuneTask.allCases.map(\.rawValue)) ?? "text-classification"
            errorLine("finetune: error: unknown subcommand '\(first)'; did you mean '\(near)'? (finetune --help)")
            return 2
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            printLine(HelpText.options(for: task))
            return 0
        }
        let isMain = (try? ProcessGroup.world.isMain) ?? true
        do {
            let options = try FineTuneOptions(try OptionParser.parse(rest, task: task))
            switch task {
            case .textClassification:
                let plan = try TextClassificationRun.prepare(options, hub: hub, isMain: isMain, say: errorLine)
                try TextClassificationRun.run(plan, hub: hub, printLine: printLine)
            case .tokenClassification:
                let plan = try TokenClassificationRun.prepare(options, hub: hub, isMain: isMain, say: errorLine)
                try TokenClassificationRun.run(plan, hub: hub, printLine: printLine)
            }
            return 0
        } catch let error as FineTuneError {
            errorLine("finetune: error: \(error.description)")
            return 2
        } catch {
            errorLine("finetune: error: \(error)")
            return 1
        }
    }
}

// The terminal's words in simplified Chinese (see TerminalStrings.swift). Terms follow
// Chapters/zh/glossary.md; commands, paths and step ids stay as they are.

extension TerminalStrings {
    static let chinese = TerminalStrings(
        language: Language.named("zh-Hans"),
        outputHeader: "── 输出 ──",
        documentedOutputHeader: "── 文档中的输出 ──",
        restarting: { "— 重新开始 \($0) —" },
        passedCount: { "通过 \($0)" },
        passedFailedCount: { "通过 \($0)，失败 \($1)" },
        skippedCount: { "跳过 \($0)" },
        notRunCount: { "未运行 \($0)" },
        countSeparator: "，",
        stepLabel: { step in
            // Numbered as the learner counts (Step.shownNumber); the other blocks named by what they are.
            let id = step.attributes.id.map { " \"\($0)\"" } ?? ""
            if let n = step.shownNumber {
                let numbered = "第 \(n) 步"
                if case .solution(let name) = step.attributes.role { return "\(numbered)（参考答案 \(name)）" }
                return numbered + id
            }
            switch step.attributes.role {
            case .exercise(let name): return "练习 \(name)"
            case .check(let name): return "检查 \(name)\(id)"
            case .solution(let name): return "参考答案 \(name)"
            case .normal: return (step.attributes.noRun ? "no-run 步骤" : "隐藏步骤") + id
            }
        },
        exerciseHeader: { "练习 \($0)" },
        readOnKeys: "[enter] 继续阅读  [q] 退出 ",
        runKeys: { "[enter] 运行  \($0 ? "[j] 跳转  " : "")[r] 重新开始  [q] 退出 " },
        solutionKeys: { "[enter] 运行参考答案  [h] 提示  [s] 参考答案  \($0 ? "[j] 跳转  " : "")[r] 重新开始  [q] 退出 " },
        yourTurn: { name, flags in
            "✏️ **动手试试：**`course exercise start \(name)\(flags)` 会把上面的起始代码复制到 `Exercises/`，"
                + "`course exercise check \(name)\(flags)` 会检查你的版本。按 **h** 查看提示，按 **s** 查看参考答案；"
                + "按 **enter** 运行参考答案，让本章继续往下进行。"
        },
        jumpPrompt: "跳到哪一步（输入编号或 id，enter 确认，Esc 留在原处）：",
        hintLabel: "提示：",
        noHint: "这个练习没有提示",
        referenceSolution: "参考答案：",
        noSuchStep: { "没有第 \($0) 步：步骤编号从 1 到 \($1)" },
        noSuchID: { "没有 id=\($0) 的步骤；现有的 id：\($1)" },
        runningToward: { "正在连续运行 \($0)/\($1) 之前的步骤，中途不停（仍会核对它们的输出）" },
        stoppedBefore: { "已停在\($0)之前；再次运行 `course step \($1)` 可以从这里继续" },
        ranWithoutPausing: { $2.isEmpty ? "\($0)/\($1) 已连续运行" : "\($0)/\($1) \($2) 已连续运行" },
        quietStepFailed: { "✗ \($0)失败" },
        matchesDocumented: "✓ 与文档中的输出一致",
        done: "✓ 完成",
        printsNothing: "（没有输出）",
        doesNotCompile: "✗ 无法编译：\n",
        crashed: "✗ 崩溃：",
        timedOut: { "✗ 运行 \($0) 秒后超时" },
        colon: "：",
        skipReason: { reason in
            switch reason {
            case .noRun: return "标有 no-run，不运行"
            case .beforeFrom: return "在 --from 之前"
            case .afterUntil: return "在 --until 之后"
            case .notNeededByExercise: return "这个练习用不到"
            case .outputUnchecked: return "输出不做比对"
            }
        },
        outputDiffers: { "输出与文档中的输出不一致（\($0)）：" },
        notATerminal: "course step：当前不是终端，改为像 `course run` 那样运行本章",
        lastTimeStopped: { "上次你停在第 \($0)/\($1) 步\($2)之前。" },
        goOnKeys: "[enter] 从那里继续  [b] 从头开始  [q] 退出 ",
        doesNotParse: { "（无法解析：请运行 `course run \($0)`）" },
        runCounts: { "通过 \($0)，失败 \($1)，跳过 \($2)" },
        notRunYet: "尚未运行",
        partialRun: { "部分运行：通过 \($0)，失败 \($1)，未运行 \($2)" },
        exerciseStatus: { status in
            switch status {
            case "not started": return "未开始"
            case "started": return "进行中"
            case "passed": return "已通过"
            case "failed": return "未通过"
            default: return status
            }
        },
        wrote: { "已写入 \($0)：编辑它，然后运行 `\($1)`" },
        alreadyExists: { "\($0) 已存在（你的代码原样保留；运行 `\($1)` 可以从头再来）" },
        exerciseHasNoHint: { "练习 \($0) 没有提示：请重读 \($1) 第 \($2) 行附近的内容" },
        resetToStart: { "已将 \($0) 恢复为起始代码" },
        starterHeader: { id, path, line, check, hint in
            "// ✏️ 练习 \(id)，出自 \(path)（第 \(line) 行）。\n// 完成 TODO 并保存，然后运行：\(check)   （提示：\(hint)）"
        },
        checkPassed: { "✓ \($0)：通过" },
        checkNotYet: { "✗ \($0)：还没通过" },
        printedNothing: "  你的代码没有输出",
        printed: "  你的代码输出了：",
        hintCommand: { "  提示：\($0)" },
        watchChecking: { "— 正在检查 \($0) —" },
        watchChanged: { "— \($0) 已修改，正在检查 —" },
        watching: { "正在监视 \($0)；按 Ctrl-C 停止" },
        attemptDoesNotCompile: { $0.map { "\($0) 无法编译：" } ?? "你的代码无法编译：" },
        attemptCrashed: { place, why in (place.map { "\($0) 崩溃了：" } ?? "你的代码崩溃了：") + why },
        attemptTimedOut: { place, s, limit in (place.map { "\($0) 运行 " } ?? "你的代码运行 ") + "\(s) 秒后超时：\(limit)" },
        checkDidNotRun: "检查没有运行",
        codeThrew: { "\($0)：你的代码抛出了错误：\($1)" },
        checkCalledItAt: { "  （检查代码在 \($0) 调用了它）" },
        outputBeforeError: "出错前的输出：",
        notStartedYet: { "\($0) 还不存在：请先运行 `\($1)`" },
        noTranslationYet: { "注意：\($0) 还没有 '\($1)' 译文（COURSE_LANG），以英文显示" },
        noTranslation: { "\($0) 没有 '\($1)' 译文；" + ($2.isEmpty ? "它目前还没有任何译文" : "现有译文：\($2)") },
        image: "图",
        reportSkipped: { "跳过：\($0)" },
        reportDoesNotCompile: "无法编译",
        reportCrashed: "崩溃",
        outputBeforeCrash: "崩溃前的输出：",
        reportTimedOut: "超时",
        killed: "已终止：",
        reportNotRun: { "未运行：\($0)" },
        notRunReason: { reason in
            switch reason {
            case .chapterDidNotCompile: return "本章没有编译通过"
            case .chapterCouldNotStart: return "本章无法启动"
            case .signalledWhileRunning(let name): return "运行中收到 \(name)：`course` 收到后把它转给了本章的程序"
            case .runStoppedBy(let name): return "运行被 \(name) 中止"
            case .stoppedBeforeIt: return "在它之前已停止"
            case .programDidNotReachIt: return "程序没有运行到这一步"
            case .earlierStepThrew: return "前面的一步抛出了错误"
            case .earlierStepCrashed: return "前面的一步崩溃了"
            case .earlierStepTimedOut: return "前面的一步超时了"
            case .rankLeftEarly(let rank): return "rank \(rank) 提前退出了任务"
            }
        },
        compiledAndRan: { compiled, ran in "\(compiled.map { "编译用时 \($0)" } ?? "使用已缓存的编译结果")，运行用时 \(ran)；" },
        rerun: { "重新运行：course run \($0)" })
}

// The terminal's words in Japanese (see TerminalStrings.swift). Terms follow
// Chapters/ja/glossary.md; commands, paths and step ids stay as they are.

extension TerminalStrings {
    static let japanese = TerminalStrings(
        language: Language.named("ja"),
        outputHeader: "── 出力 ──",
        documentedOutputHeader: "── ドキュメントに記載の出力 ──",
        restarting: { "— \($0) を最初からやり直します —" },
        passedCount: { "成功 \($0)" },
        passedFailedCount: { "成功 \($0)、失敗 \($1)" },
        skippedCount: { "スキップ \($0)" },
        notRunCount: { "未実行 \($0)" },
        countSeparator: "、",
        stepLabel: { step in
            // Numbered as the learner counts (Step.shownNumber); the other blocks named by what they are.
            let id = step.attributes.id.map { " \"\($0)\"" } ?? ""
            if let n = step.shownNumber {
                let numbered = "ステップ \(n)"
                if case .solution(let name) = step.attributes.role { return "\(numbered)（解答例 \(name)）" }
                return numbered + id
            }
            switch step.attributes.role {
            case .exercise(let name): return "演習 \(name)"
            case .check(let name): return "チェック \(name)\(id)"
            case .solution(let name): return "解答例 \(name)"
            case .normal: return (step.attributes.noRun ? "no-run ステップ" : "隠しステップ") + id
            }
        },
        exerciseHeader: { "演習 \($0)" },
        readOnKeys: "[enter] 続きを読む  [q] 終了 ",
        runKeys: { "[enter] 実行  \($0 ? "[j] ジャンプ  " : "")[r] 最初から  [q] 終了 " },
        solutionKeys: { "[enter] 解答例を実行  [h] ヒント  [s] 解答例  \($0 ? "[j] ジャンプ  " : "")[r] 最初から  [q] 終了 " },
        yourTurn: { name, flags in
            "✏️ **やってみよう：**`course exercise start \(name)\(flags)` で上の開始コードが `Exercises/` にコピーされ、"
                + "`course exercise check \(name)\(flags)` で自分のコードを確認できます。**h** でヒント、**s** で解答例を表示します。"
                + "**enter** を押すと解答例を実行して、章の続きに進みます。"
        },
        jumpPrompt: "移動先のステップ（番号か id。enter で移動、Esc でこのまま）：",
        hintLabel: "ヒント：",
        noHint: "この演習にはヒントがありません",
        referenceSolution: "解答例：",
        noSuchStep: { "ステップ \($0) はありません。ステップは 1 から \($1) までです" },
        noSuchID: { "id=\($0) のステップはありません。id の一覧：\($1)" },
        runningToward: { "\($0)/\($1) より前のステップを止まらずに実行します（出力は照合します）" },
        stoppedBefore: { "\($0) の前で止めました。`course step \($1)` でここから続けられます" },
        ranWithoutPausing: { $2.isEmpty ? "\($0)/\($1) を止まらずに実行しました" : "\($0)/\($1) \($2) を止まらずに実行しました" },
        quietStepFailed: { "✗ \($0) が失敗しました" },
        matchesDocumented: "✓ ドキュメントに記載の出力と一致しました",
        done: "✓ 完了",
        printsNothing: "（出力なし）",
        doesNotCompile: "✗ コンパイルできません：\n",
        crashed: "✗ クラッシュしました：",
        timedOut: { "✗ \($0) 秒でタイムアウトしました" },
        colon: "：",
        skipReason: { reason in
            switch reason {
            case .noRun: return "no-run のため実行しません"
            case .beforeFrom: return "--from より前"
            case .afterUntil: return "--until より後"
            case .notNeededByExercise: return "この演習には不要"
            case .outputUnchecked: return "出力は照合しません"
            }
        },
        outputDiffers: { "出力がドキュメントに記載の出力と異なります（\($0)）：" },
        notATerminal: "course step: 端末ではないため、`course run` と同じように章を実行します",
        lastTimeStopped: { "前回はステップ \($0)/\($1)\($2) の前で終了しました。" },
        goOnKeys: "[enter] そこから続ける  [b] 最初から始める  [q] 終了 ",
        doesNotParse: { "（解析できません：`course run \($0)` を実行してください）" },
        runCounts: { "成功 \($0)、失敗 \($1)、スキップ \($2)" },
        notRunYet: "未実行",
        partialRun: { "途中まで実行：成功 \($0)、失敗 \($1)、未実行 \($2)" },
        exerciseStatus: { status in
            switch status {
            case "not started": return "未着手"
            case "started": return "取り組み中"
            case "passed": return "合格"
            case "failed": return "不合格"
            default: return status
            }
        },
        wrote: { "\($0) を作成しました。編集してから `\($1)` を実行してください" },
        alreadyExists: { "\($0) はすでにあります（作業内容はそのまま残ります。`\($1)` で最初からやり直せます）" },
        exerciseHasNoHint: { "演習 \($0) にはヒントがありません。\($1) の \($2) 行目あたりを読み直してください" },
        resetToStart: { "\($0) を開始コードに戻しました" },
        starterHeader: { id, path, line, check, hint in
            "// ✏️ 演習 \(id)（\(path) の \(line) 行目）。\n// TODO を書き換えて保存したら：\(check)   （ヒント：\(hint)）"
        },
        checkPassed: { "✓ \($0)：合格" },
        checkNotYet: { "✗ \($0)：まだ合格していません" },
        printedNothing: "  あなたのコードは何も出力しませんでした",
        printed: "  あなたのコードの出力：",
        hintCommand: { "  ヒント：\($0)" },
        watchChecking: { "— \($0) を確認しています —" },
        watchChanged: { "— \($0) が変更されました。確認しています —" },
        watching: { "\($0) を監視しています。Ctrl-C で終了します" },
        attemptDoesNotCompile: { $0.map { "\($0) はコンパイルできません：" } ?? "あなたのコードはコンパイルできません：" },
        attemptCrashed: { place, why in (place.map { "\($0) がクラッシュしました：" } ?? "あなたのコードがクラッシュしました：") + why },
        attemptTimedOut: { place, s, limit in (place.map { "\($0) は " } ?? "あなたのコードは ") + "\(s) 秒でタイムアウトしました：\(limit)" },
        checkDidNotRun: "チェックが実行されませんでした",
        codeThrew: { "\($0)：あなたのコードがエラーを投げました：\($1)" },
        checkCalledItAt: { "  （チェックが \($0) で呼び出しました）" },
        outputBeforeError: "エラーまでの出力：",
        notStartedYet: { "\($0) はまだありません。先に `\($1)` を実行してください" },
        noTranslationYet: { "注意：\($0) には '\($1)' の翻訳がまだないため、英語で表示します（COURSE_LANG）" },
        noTranslation: { "\($0) には '\($1)' の翻訳がありません。" + ($2.isEmpty ? "翻訳はまだ一つもありません" : "ある翻訳：\($2)") },
        image: "図",
        reportSkipped: { "スキップ：\($0)" },
        reportDoesNotCompile: "コンパイルできません",
        reportCrashed: "クラッシュしました",
        outputBeforeCrash: "クラッシュ前の出力：",
        reportTimedOut: "タイムアウトしました",
        killed: "強制終了：",
        reportNotRun: { "未実行：\($0)" },
        notRunReason: { reason in
            switch reason {
            case .chapterDidNotCompile: return "章がコンパイルできませんでした"
            case .chapterCouldNotStart: return "章を開始できませんでした"
            case .signalledWhileRunning(let name): return "実行中に \(name) で停止しました（`course` が受け取り、章のプログラムに渡しました）"
            case .runStoppedBy(let name): return "実行が \(name) で停止されました"
            case .stoppedBeforeIt: return "その前で止めました"
            case .programDidNotReachIt: return "プログラムがここまで到達しませんでした"
            case .earlierStepThrew: return "前のステップがエラーを投げました"
            case .earlierStepCrashed: return "前のステップがクラッシュしました"
            case .earlierStepTimedOut: return "前のステップがタイムアウトしました"
            case .rankLeftEarly(let rank): return "rank \(rank) が途中でジョブを抜けました"
            }
        },
        compiledAndRan: { compiled, ran in "\(compiled.map { "コンパイル \($0)" } ?? "コンパイルはキャッシュ済み")、実行 \(ran)；" },
        rerun: { "再実行：course run \($0)" })
}

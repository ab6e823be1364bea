// The terminal's words in German (see TerminalStrings.swift), addressing the learner as "du"
// as the German chapters do. Terms follow Chapters/de/glossary.md; commands, paths and step
// ids stay as they are.

extension TerminalStrings {
    static let german = TerminalStrings(
        language: Language.named("de"),
        outputHeader: "── Ausgabe ──",
        documentedOutputHeader: "── dokumentierte Ausgabe ──",
        restarting: { "— \($0) beginnt von vorn —" },
        passedCount: { "\($0) bestanden" },
        passedFailedCount: { "\($0) bestanden, \($1) fehlgeschlagen" },
        skippedCount: { "\($0) übersprungen" },
        notRunCount: { "\($0) nicht ausgeführt" },
        countSeparator: ", ",
        stepLabel: { step in
            // Numbered as the learner counts (Step.shownNumber); the other blocks named by what they are.
            let id = step.attributes.id.map { " \"\($0)\"" } ?? ""
            if let n = step.shownNumber {
                let numbered = "Schritt \(n)"
                if case .solution(let name) = step.attributes.role { return "\(numbered) (Lösung \(name))" }
                return numbered + id
            }
            switch step.attributes.role {
            case .exercise(let name): return "Übung \(name)"
            case .check(let name): return "Prüfung \(name)\(id)"
            case .solution(let name): return "Lösung \(name)"
            case .normal: return (step.attributes.noRun ? "no-run-Schritt" : "versteckter Schritt") + id
            }
        },
        exerciseHeader: { "Übung \($0)" },
        readOnKeys: "[enter] weiterlesen  [q] beenden ",
        runKeys: { "[enter] ausführen  \($0 ? "[j] springen  " : "")[r] neu starten  [q] beenden " },
        solutionKeys: { "[enter] Lösung ausführen  [h] Tipp  [s] Lösung  \($0 ? "[j] springen  " : "")[r] neu starten  [q] beenden " },
        yourTurn: { name, flags in
            "✏️ **Jetzt du:** `course exercise start \(name)\(flags)` legt den Startcode von oben in `Exercises/` ab, "
                + "und `course exercise check \(name)\(flags)` prüft deine Fassung. **h** zeigt den Tipp, **s** die Lösung; "
                + "**Enter** führt die Lösung aus, damit das Kapitel weitergehen kann."
        },
        jumpPrompt: "Zu welchem Schritt springen (Nummer oder id, Enter springt, Esc bleibt hier): ",
        hintLabel: "Tipp: ",
        noHint: "Zu dieser Übung gibt es keinen Tipp",
        referenceSolution: "Die Lösung:",
        noSuchStep: { "Es gibt keinen Schritt \($0): die Schritte gehen von 1 bis \($1)" },
        noSuchID: { "Kein Schritt hat id=\($0); ids: \($1)" },
        runningToward: { "Die Schritte vor \($0)/\($1) laufen ohne Pause durch (ihre Ausgaben werden geprüft)" },
        stoppedBefore: { "Angehalten vor \($0); `course step \($1)` bietet an, hier weiterzumachen" },
        ranWithoutPausing: { $2.isEmpty ? "\($0)/\($1) ohne Pause ausgeführt" : "\($0)/\($1) \($2) ohne Pause ausgeführt" },
        quietStepFailed: { "✗ \($0) fehlgeschlagen" },
        matchesDocumented: "✓ stimmt mit der dokumentierten Ausgabe überein",
        done: "✓ fertig",
        printsNothing: " (gibt nichts aus)",
        doesNotCompile: "✗ lässt sich nicht kompilieren:\n",
        crashed: "✗ abgestürzt: ",
        timedOut: { "✗ Zeitlimit nach \($0) s überschritten" },
        colon: ": ",
        skipReason: { reason in
            switch reason {
            case .noRun: return "no-run: wird nicht ausgeführt"
            case .beforeFrom: return "vor --from"
            case .afterUntil: return "nach --until"
            case .notNeededByExercise: return "für die Übung nicht nötig"
            case .outputUnchecked: return "Ausgabe wird nicht verglichen"
            }
        },
        outputDiffers: { "Die Ausgabe weicht von der dokumentierten Ausgabe ab (\($0)):" },
        notATerminal: "course step: kein Terminal; das Kapitel läuft wie bei `course run`",
        lastTimeStopped: { "Beim letzten Mal hast du vor Schritt \($0)/\($1)\($2) aufgehört." },
        goOnKeys: "[enter] dort weitermachen  [b] von vorn beginnen  [q] beenden ",
        doesNotParse: { "(nicht lesbar: `course run \($0)` ausführen)" },
        runCounts: { "\($0) bestanden, \($1) fehlgeschlagen, \($2) übersprungen" },
        notRunYet: "noch nicht ausgeführt",
        partialRun: { "teilweise ausgeführt: \($0) bestanden, \($1) fehlgeschlagen, \($2) nicht ausgeführt" },
        exerciseStatus: { status in
            switch status {
            case "not started": return "nicht begonnen"
            case "started": return "begonnen"
            case "passed": return "bestanden"
            case "failed": return "nicht bestanden"
            default: return status
            }
        },
        wrote: { "\($0) angelegt: bearbeite die Datei, dann `\($1)` ausführen" },
        alreadyExists: { "\($0) gibt es schon (deine Arbeit bleibt erhalten; `\($1)` fängt von vorn an)" },
        exerciseHasNoHint: { "Übung \($0) hat keinen Tipp: lies \($1) um Zeile \($2) noch einmal" },
        resetToStart: { "\($0) auf den Startcode zurückgesetzt" },
        starterHeader: { id, path, line, check, hint in
            "// ✏️ Übung \(id), aus \(path) (Zeile \(line)).\n// Ersetze das TODO, speichere, dann: \(check)   (Tipp: \(hint))"
        },
        checkPassed: { "✓ \($0): bestanden" },
        checkNotYet: { "✗ \($0): noch nicht" },
        printedNothing: "  dein Code hat nichts ausgegeben",
        printed: "  dein Code hat ausgegeben:",
        hintCommand: { "  Tipp: \($0)" },
        watchChecking: { "— prüfe \($0) —" },
        watchChanged: { "— \($0) geändert, prüfe —" },
        watching: { "beobachte \($0); Strg-C beendet" },
        attemptDoesNotCompile: { "\($0 ?? "Dein Code") lässt sich nicht kompilieren:" },
        attemptCrashed: { "\($0 ?? "Dein Code") ist abgestürzt: \($1)" },
        attemptTimedOut: { "\($0 ?? "Dein Code") hat das Zeitlimit nach \($1) s überschritten: \($2)" },
        checkDidNotRun: "Die Prüfung ist nicht gelaufen",
        codeThrew: { "\($0): dein Code hat einen Fehler geworfen: \($1)" },
        checkCalledItAt: { "  (die Prüfung hat ihn bei \($0) aufgerufen)" },
        outputBeforeError: "Ausgabe vor dem Fehler:",
        notStartedYet: { "\($0) gibt es noch nicht: zuerst `\($1)` ausführen" },
        noTranslationYet: { "Hinweis: \($0) hat noch keine Übersetzung '\($1)' (COURSE_LANG); es wird auf Englisch gelesen" },
        noTranslation: { "\($0) hat keine Übersetzung '\($1)'; " + ($2.isEmpty ? "es gibt noch keine" : "vorhanden: \($2)") },
        image: "Abbildung",
        reportSkipped: { "übersprungen: \($0)" },
        reportDoesNotCompile: "lässt sich nicht kompilieren",
        reportCrashed: "abgestürzt",
        outputBeforeCrash: "Ausgabe vor dem Absturz:",
        reportTimedOut: "Zeitlimit überschritten",
        killed: "beendet: ",
        reportNotRun: { "nicht ausgeführt: \($0)" },
        notRunReason: { reason in
            switch reason {
            case .chapterDidNotCompile: return "das Kapitel ließ sich nicht kompilieren"
            case .chapterCouldNotStart: return "das Kapitel konnte nicht starten"
            case .signalledWhileRunning(let name): return "während des Laufs durch \(name) beendet: `course` hat das Signal an das Kapitelprogramm weitergegeben"
            case .runStoppedBy(let name): return "der Lauf wurde durch \(name) beendet"
            case .stoppedBeforeIt: return "davor angehalten"
            case .programDidNotReachIt: return "das Programm ist nicht bis hierher gekommen"
            case .earlierStepThrew: return "ein früherer Schritt hat einen Fehler geworfen"
            case .earlierStepCrashed: return "ein früherer Schritt ist abgestürzt"
            case .earlierStepTimedOut: return "ein früherer Schritt hat das Zeitlimit überschritten"
            case .rankLeftEarly(let rank): return "Rank \(rank) hat den Job vorzeitig verlassen"
            }
        },
        compiledAndRan: { compiled, ran in "\(compiled.map { "in \($0) kompiliert" } ?? "Kompilat aus dem Cache"), in \(ran) ausgeführt; " },
        rerun: { "erneut ausführen: course run \($0)" })
}

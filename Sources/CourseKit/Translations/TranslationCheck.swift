import Foundation

// `course check`'s part for translations: each is compared with its source (never run), and
// its prose is checked against its language's glossary (warnings only).

public enum TranslationCheck {
    /// The translations to check for a `course check` of `paths` (every chapter when empty):
    /// the translation files given, plus the translations of every source chapter checked.
    public static func paths(for given: [String], chapters: [String]) -> [String] {
        let all = Translations.discover(in: "Chapters")
        if given.isEmpty { return all }
        let sources = Set(chapters.map(Translations.normalize))
        let ofSources = all.filter { path in
            guard let chapter = try? ChapterLoader.load(path), let source = Translations.sourcePath(of: chapter) else { return false }
            return sources.contains(source)
        }
        let explicit = given.filter(Translations.isTranslation)
        return explicit + ofSources.filter { !explicit.map(Translations.normalize).contains(Translations.normalize($0)) }
    }

    /// Checks each translation, printing its result; adds matching steps to `passed` and
    /// each problem to `failed`.
    public static func run(_ paths: [String], summary: inout Summary, style: Style) {
        for path in paths {
            let translation: Translation
            do {
                translation = try Translations.load(path)
            } catch {
                print(style.bold(path))
                print(String(describing: error).split(separator: "\n").map { "      " + style.red(String($0)) }.joined(separator: "\n"))
                summary.failed += 1
                continue
            }
            print(style.bold(path) + style.dim("  \(translation.language.name) translation of \(translation.source.path)"))
            let report = TranslationChecker.check(translation)
            summary.passed += report.matched
            summary.failed += report.problems.count
            if report.ok {
                print("  \(style.green("✓")) \(report.matched) steps match the source (code without comments, outputs, exercises)")
            }
            for problem in report.problems {
                let lines = problem.split(separator: "\n", omittingEmptySubsequences: false)
                print("  \(style.red("✗")) \(lines[0])")
                for line in lines.dropFirst() {
                    let text = String(line)
                    let colored = text.hasPrefix("-") ? style.red(text) : text.hasPrefix("+") ? style.green(text) : text
                    print("      " + colored)
                }
            }
            if let glossary = Glossary.forTranslation(at: path) {
                for warning in glossary.warnings(for: translation.chapter) { print("  " + style.yellow(warning)) }
            } else {
                print("  " + style.yellow("\(path): warning: no \(Translations.glossaryName) beside it, so its terms are not checked"))
            }
        }
    }
}

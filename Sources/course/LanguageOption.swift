import ArgumentParser
import CourseKit
import Foundation

/// `--lang zh` (or `COURSE_LANG=zh`): read an exercise in a translation of its chapter: its
/// starting code's comments and its hint in that language. The exercise id, the file under
/// Exercises/ and the progress are the source's, so switching language keeps your work.
struct LanguageOption: ParsableArguments {
    @Option(name: .customLong("lang"), help: "Read the exercise in this translation (zh, ja, de, ...; default $COURSE_LANG, else English).")
    var lang: String?

    var requested: String? {
        let value = lang ?? ProcessInfo.processInfo.environment["COURSE_LANG"]
        guard let value, !value.isEmpty, !Language.english.matches(value) else { return nil }
        return value
    }

    /// The exercise workspace, whose suggested commands keep an explicit `--lang`.
    func workspace(_ environment: Environment) -> ExerciseWorkspace {
        var workspace = ExerciseWorkspace(environment: environment)
        workspace.strings = strings
        if let lang, !lang.isEmpty { workspace.suggestedFlags = " --lang \(lang)" }
        return workspace
    }

    /// The exercise as its translation has it (same id and workspace), or as it is in English.
    func locate(_ e: LocatedExercise) throws -> LocatedExercise {
        guard let query = requested else { return e }
        guard let translation = Translations.find(query, of: e.chapter) else {
            let available = (Translations.bySource(in: "Chapters")[e.chapter.path] ?? []).map(\.language.tag)
            // COURSE_LANG is a standing preference: a chapter not translated yet is read in English.
            if lang == nil {
                FileHandle.standardError.write(Data((strings.noTranslationYet(e.chapter.path, query) + "\n").utf8))
                return e
            }
            throw CourseError(strings.noTranslation(e.chapter.path, query, available.joined(separator: ", ")))
        }
        guard let exercise = translation.chapter.exercises.first(where: { $0.id == e.exercise.id }) else {
            throw CourseError("\(translation.chapter.path) has no exercise '\(e.exercise.id)': it is stale, `course check` shows how")
        }
        return LocatedExercise(chapter: translation.chapter, exercise: exercise)
    }
}

/// `--lang zh` for the words `course` itself prints (prompts, key help, results): chosen by
/// `--lang`, else `COURSE_LANG`, else the language of the translation being read, else the
/// locale (LC_ALL, LC_MESSAGES, LANG); English when none names a language it speaks.
struct InterfaceLanguageOption: ParsableArguments {
    @Option(name: .customLong("lang"), help: "Speak this language: zh, ja or de (default $COURSE_LANG, else a translation's own, else the locale's; English otherwise).")
    var lang: String?

    /// `course step 01 --lang zh` reads `Chapters/zh/01-…`: the chapter's translation in the
    /// language asked for (`--lang`, else `COURSE_LANG`) when the path names a source chapter
    /// that has one; otherwise the path as given (a chapter not translated yet is read in English).
    func readingPath(_ path: String) -> String {
        let query = lang ?? ProcessInfo.processInfo.environment["COURSE_LANG"]
        guard let query, !query.isEmpty, !Language.english.matches(query),
              let chapter = try? ChapterLoader.load(ChapterLoader.resolve(path)), !chapter.isTranslation,
              let translation = Translations.find(query, of: chapter) else { return path }
        return translation.chapter.path
    }

    /// The strings for reading `chapter` (a translation speaks its language unless told otherwise).
    func strings(reading chapter: Chapter? = nil) -> TerminalStrings {
        TerminalStrings.choose(flag: lang, chapterLanguage: chapter?.frontMatter.language.map(Language.named))
    }

    /// What the exercise commands suggested while reading `chapter` need to find the same
    /// starting code: a translation's language ("" for a source chapter, whose exercises are
    /// English whatever language the terminal speaks).
    func exerciseFlags(reading chapter: Chapter) -> String {
        guard let tag = chapter.frontMatter.language else { return "" }
        return " --lang " + (tag.split(separator: "-").first.map(String.init) ?? tag)
    }
}

extension LanguageOption {
    /// The words of the exercise commands: `--lang`, else `COURSE_LANG`, else the locale.
    var strings: TerminalStrings { TerminalStrings.choose(flag: lang) }
}

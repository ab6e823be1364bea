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
                FileHandle.standardError.write(Data("note: \(e.chapter.path) has no '\(query)' translation yet (COURSE_LANG); reading it in English\n".utf8))
                return e
            }
            throw CourseError("\(e.chapter.path) has no '\(query)' translation; "
                + (available.isEmpty ? "it has none yet" : "it has: \(available.joined(separator: ", "))"))
        }
        guard let exercise = translation.chapter.exercises.first(where: { $0.id == e.exercise.id }) else {
            throw CourseError("\(translation.chapter.path) has no exercise '\(e.exercise.id)': it is stale, `course check` shows how")
        }
        return LocatedExercise(chapter: translation.chapter, exercise: exercise)
    }
}

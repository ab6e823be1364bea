import Foundation

// Finding chapters: every `*.md` under Chapters/ (or the paths given), in course order.

public enum ChapterLoader {
    /// Reads and parses one chapter file. `path` is kept as given for reports.
    public static func load(_ path: String) throws -> Chapter {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            let directory = path.hasSuffix("/") ? String(path.dropLast()) : path
            throw CourseError("\(path) is a directory, not a chapter: pass one chapter file (e.g. `course run "
                + "\(directory)/00-how-this-course-works.md`), or use `course check` to run every chapter in Chapters/")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CourseError("cannot read \(path): no such file (chapters live in Chapters/*.md)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CourseError("\(path) is not UTF-8 text")
        }
        let chapter = try ChapterParser.parse(text, path: path)
        // A translation runs with its source's settings (id, timeout, threads, ...).
        return chapter.isTranslation ? try Translations.inheritingSettings(chapter) : chapter
    }

    /// Chapter paths under `directory`, relative to the working directory when possible,
    /// ordered by front-matter `order`, then file name.
    public static func discover(in directory: String) throws -> [String] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw CourseError("no \(directory)/ directory here: run course from the course's top directory")
        }
        let names = try fm.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }
        let paths = names.map { directory == "." ? $0 : "\(directory)/\($0)" }
        let orders = paths.map { path -> (String, Int) in
            let order = (try? load(path))?.frontMatter.order ?? Int.max
            return (path, order)
        }
        return orders.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
    }
}

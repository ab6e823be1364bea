import Foundation

// Naming a chapter on the command line: a path, or — as `course exercise` names exercises —
// its number (`01`, `1`), its id (`token-classification`) or its file name with or without
// `.md` (`01-token-classification`).

extension ChapterLoader {
    /// The path of the chapter `name` refers to. An existing file or directory is taken as it
    /// is; anything else is looked up among the chapters in `directory`.
    public static func resolve(_ name: String, in directory: String = "Chapters") throws -> String {
        // Outside the course's top folder a run would find no chapters by name, and one by path
        // would leave its work (.course/) in whatever folder this is.
        try requireTopFolder(directory)
        if FileManager.default.fileExists(atPath: name) { return name }
        let paths = (try? discover(in: directory)) ?? []
        let file = { (path: String) in path.split(separator: "/").last.map(String.init) ?? path }
        func stem(_ path: String) -> String { let f = file(path); return f.hasSuffix(".md") ? String(f.dropLast(3)) : f }
        // File names first (exact), then numbers, then ids: a chapter's number prefix or id.
        if let path = paths.first(where: { file($0) == name || stem($0) == name }) { return path }
        if let number = Int(name), name.allSatisfy(\.isNumber) {
            let matches = paths.filter { path in
                let prefix = stem(path).prefix { $0.isNumber }
                return !prefix.isEmpty && Int(prefix) == number
            }
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 { throw CourseError("chapter \(name) is ambiguous: \(matches.joined(separator: ", "))") }
        }
        let byID = paths.filter { (try? load($0).id) == name }
        if byID.count == 1 { return byID[0] }
        if byID.count > 1 { throw CourseError("'\(name)' is the id of several chapters: \(byID.joined(separator: ", "))") }
        let known = paths.map { path -> String in
            let id = (try? load(path).id).map { " (\($0))" } ?? ""
            return "  \(path)\(id)"
        }
        throw CourseError("no chapter '\(name)': name it by path, number, file name or id; the chapters are:\n"
            + (known.isEmpty ? "  none in \(directory)/" : known.joined(separator: "\n")))
    }

    /// Throws unless `directory` (Chapters/) is here, naming the course's top folder when this
    /// is somewhere inside it.
    static func requireTopFolder(_ directory: String) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue { return }
        var dir = URL(fileURLWithPath: fm.currentDirectoryPath).deletingLastPathComponent()
        var top: String?
        while dir.path != "/" {
            if fm.fileExists(atPath: dir.appendingPathComponent(directory).path),
               fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { top = dir.path; break }
            dir = dir.deletingLastPathComponent()
        }
        throw CourseError("no \(directory)/ directory here: run course from the course's top directory"
            + (top.map { " (cd \($0))" } ?? ""))
    }
}

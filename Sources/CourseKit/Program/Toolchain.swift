import Foundation
import Digest

// Where the compiler, the built toolkit and the runner's cache are, and how a chapter program
// is compiled against the toolkit. The runner never links the toolkit itself: the chapter
// program does, as a child process.

public struct CourseError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Paths the runner works with.
public struct Environment: Sendable {
    /// The package root (has Package.swift and Chapters/).
    public var root: URL
    /// Directory with `libFineTuning.so` and `Modules/` (the build products), if built.
    public var toolkit: URL?
    /// `.course/` under the root, or `COURSE_CACHE_DIR`: compiled chapters, work dirs, state.
    public var cache: URL
    public var swiftc: String

    /// Discovers the root from the working directory upwards, the toolkit next to the running
    /// `course` binary (or `COURSE_TOOLKIT_DIR`), and swiftc on PATH (or `SWIFTC`).
    public static func discover() throws -> Environment {
        let env = ProcessInfo.processInfo.environment
        let fm = FileManager.default
        var dir = URL(fileURLWithPath: fm.currentDirectoryPath)
        var root = dir
        while true {
            if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { root = dir; break }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { break }
            dir = parent
        }
        var toolkit: URL?
        if let override = env["COURSE_TOOLKIT_DIR"], !override.isEmpty {
            toolkit = URL(fileURLWithPath: override)
        } else if let exe = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let candidate = URL(fileURLWithPath: exe).deletingLastPathComponent()
            if fm.fileExists(atPath: candidate.appendingPathComponent(Toolkit.library).path) { toolkit = candidate }
        }
        let cache = env["COURSE_CACHE_DIR"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? root.appendingPathComponent(".course")
        guard let swiftc = env["SWIFTC"].flatMap({ $0.isEmpty ? nil : $0 }) ?? findOnPath("swiftc", env["PATH"] ?? "") else {
            throw CourseError("swiftc is not on PATH: install Swift 6 (see README.md) or set SWIFTC to its path")
        }
        return Environment(root: root, toolkit: toolkit, cache: cache, swiftc: swiftc)
    }

    static func findOnPath(_ name: String, _ path: String) -> String? {
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

enum Toolkit {
    static let library = "libFineTuning.so"
    static let module = "FineTuning"
}

/// A compiled chapter program, and the compile errors that `expect-error` steps expected.
public struct CompiledProgram: Sendable {
    public var executable: URL
    public var expectedCompileErrors: [Int: [String]]
    public var cached: Bool
    public var seconds: Double
}

/// A compile failure located in the chapter.
public struct CompileFailure: Error, Sendable {
    /// The step the first error is in (nil: in no step, e.g. the toolkit is missing).
    public var step: Int?
    /// Compiler output, already naming `Chapters/x.md:LINE`.
    public var diagnostics: String
}

public struct Compiler: Sendable {
    public var environment: Environment

    public init(environment: Environment) { self.environment = environment }

    /// Compiles `chapter` under `plan`, reusing an earlier build of the same source.
    public func compile(_ chapter: Chapter, plan: ProgramPlan) throws -> CompiledProgram {
        let started = Clock.now
        var plan = plan
        plan.expectedCompileErrors = [:]
        // A chapter with `expect-error` steps that do not compile needs several compiles the
        // first time; which steps were stubbed is remembered under the original source's key.
        let originalKey = cacheKey(ProgramGenerator.mainSource(chapter, plan: plan))
        let expectations = environment.cache.appendingPathComponent("build/\(originalKey).expected.json")
        if let data = try? Data(contentsOf: expectations),
           let known = try? JSONDecoder().decode([String: [String]].self, from: data) {
            for (step, diagnostics) in known { if let n = Int(step) { plan.expectedCompileErrors[n] = diagnostics } }
        }
        var compiled = false
        while true {
            let source = ProgramGenerator.mainSource(chapter, plan: plan)
            let key = cacheKey(source)
            let dir = environment.cache.appendingPathComponent("build/\(key)")
            let exe = dir.appendingPathComponent("chapter")
            if FileManager.default.isExecutableFile(atPath: exe.path) {
                if compiled { remember(plan.expectedCompileErrors, at: expectations) }
                // Mark as recently used, for pruning.
                try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: dir.path)
                return CompiledProgram(executable: exe, expectedCompileErrors: plan.expectedCompileErrors,
                                       cached: !compiled, seconds: Clock.now - started)
            }
            compiled = true
            let result = try build(source: source, into: dir)
            if result.ok {
                remember(plan.expectedCompileErrors, at: expectations)
                return CompiledProgram(executable: exe, expectedCompileErrors: plan.expectedCompileErrors,
                                       cached: false, seconds: Clock.now - started)
            }
            // Errors inside `expect-error` steps are what those steps document: stub the steps
            // out (they print the diagnostics) and compile again. Any other error fails.
            let errors = Diagnostic.parse(result.output).filter { $0.severity == "error" }
            var expected: [Int: [String]] = [:]
            var unexpected: Diagnostic?
            for error in errors {
                let step = chapter.step(for: error, plan: plan)
                if let step, step.attributes.expectError, plan.expectedCompileErrors[step.number] == nil {
                    expected[step.number, default: []].append("error: \(error.message)")
                } else if unexpected == nil {
                    unexpected = error
                }
            }
            // Stub the expected errors first and compile again, so a real error is reported
            // on its own, without the errors the chapter meant to show.
            if !expected.isEmpty {
                plan.expectedCompileErrors.merge(expected) { a, _ in a }
                continue
            }
            let step = unexpected.flatMap { chapter.step(for: $0, plan: plan)?.number }
            throw CompileFailure(step: step, diagnostics: explain(result.output))
        }
    }

    private func remember(_ expected: [Int: [String]], at url: URL) {
        guard !expected.isEmpty else { return }
        let known = Dictionary(uniqueKeysWithValues: expected.map { (String($0.key), $0.value) })
        try? JSONEncoder().encode(known).write(to: url, options: .atomic)
    }

    /// The toolkit build and compiler a chapter program links with: part of the key of every
    /// recorded training run (`TrainingReplayStore`), so a rebuilt toolkit trains again.
    func toolkitBuildKey() -> String {
        var hasher = SHA256()
        hasher.update(environment.swiftc)
        addToolkitBuild(to: &hasher)
        return String(SHA256.hexString(hasher.finalize()).prefix(32))
    }

    /// The toolkit library and module's size and modification time (a rebuild changes them).
    private func addToolkitBuild(to hasher: inout SHA256) {
        guard let toolkit = environment.toolkit else { return }
        for file in [Toolkit.library, "Modules/\(Toolkit.module).swiftmodule"] {
            let path = toolkit.appendingPathComponent(file).path
            if let attrs = try? FileManager.default.attributesOfItem(atPath: path) {
                hasher.update("\(file) \(attrs[.size] ?? 0) \((attrs[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)")
            }
        }
    }

    /// A digest of everything the binary depends on: source, compiler, flags and the toolkit build.
    func cacheKey(_ source: String) -> String {
        var hasher = SHA256()
        hasher.update(source)
        hasher.update(ProgramGenerator.preludeSource)
        hasher.update(environment.swiftc)
        hasher.update(flags(output: "").joined(separator: " "))
        addToolkitBuild(to: &hasher)
        return String(SHA256.hexString(hasher.finalize()).prefix(32))
    }

    func flags(output: String) -> [String] {
        var flags = ["-Onone", "-gline-tables-only", "-swift-version", "5", "-suppress-warnings", "-diagnostic-style", "llvm",
                     "-module-name", "Chapter"]
        if let toolkit = environment.toolkit {
            flags += ["-I", toolkit.appendingPathComponent("Modules").path, "-I", toolkit.path,
                      "-L", toolkit.path, "-lFineTuning", "-Xlinker", "-rpath", "-Xlinker", toolkit.path]
            // Nothing else: the toolkit imports its C libraries implementation-only (OpenBLAS,
            // snappy, zstd, oneDNN, Open MPI), and the one a client needs (CVector, for the inlined
            // vector helpers) is found through the toolkit's own build, so the runner lists none.
        }
        return flags + ["-o", output]
    }

    private func build(source: String, into dir: URL) throws -> (ok: Bool, output: String) {
        let fm = FileManager.default
        let staging = dir.deletingLastPathComponent().appendingPathComponent("tmp-\(UUID().uuidString)")
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: staging) }
        let main = staging.appendingPathComponent("main.swift")
        let prelude = staging.appendingPathComponent("prelude.swift")
        try source.write(to: main, atomically: true, encoding: .utf8)
        try ProgramGenerator.preludeSource.write(to: prelude, atomically: true, encoding: .utf8)
        let exe = staging.appendingPathComponent("chapter")
        let args = flags(output: exe.path) + [main.path, prelude.path]
        let (termination, output, timedOut) = try runCapturing(environment.swiftc, args,
            environment: ProcessInfo.processInfo.environment, timeout: 600)
        if timedOut { throw CourseError("swiftc did not finish within 600 s") }
        // A signal to `course` ended swiftc with it (see Interruption): nothing was compiled.
        if let sig = Interruption.stoppedBy { throw CourseError("stopped by \(Interruption.name(sig)) while compiling the chapter") }
        guard termination == .exited(0) else { return (false, output) }
        // Publish atomically: a concurrent run of the same chapter finds a whole binary or none.
        if fm.fileExists(atPath: dir.path) { try? fm.removeItem(at: dir) }
        try? fm.moveItem(at: staging, to: dir)
        prune(keeping: Compiler.cachedPrograms)
        return (true, output)
    }

    /// How many compiled chapter programs the cache keeps (each is a few MB).
    static let cachedPrograms = 48

    /// Removes the least recently used programs beyond `limit`.
    func prune(keeping limit: Int) {
        let fm = FileManager.default
        let root = environment.cache.appendingPathComponent("build")
        guard let names = try? fm.contentsOfDirectory(atPath: root.path) else { return }
        let dirs = names.filter { !$0.hasPrefix("tmp-") && !$0.hasSuffix(".json") }.compactMap { name -> (URL, Date)? in
            let url = root.appendingPathComponent(name)
            guard let date = (try? fm.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date else { return nil }
            return (url, date)
        }
        guard dirs.count > limit else { return }
        for (url, _) in dirs.sorted(by: { $0.1 > $1.1 }).dropFirst(limit) {
            try? fm.removeItem(at: url)
            try? fm.removeItem(at: URL(fileURLWithPath: url.path + ".expected.json"))
        }
    }

    /// Adds what to do when the toolkit is not there.
    private func explain(_ output: String) -> String {
        if output.contains("no such module '\(Toolkit.module)'") && environment.toolkit == nil {
            return output + "\nhint: the toolkit is not built next to this `course` binary: run `swift build -c release` and use .build/release/course"
        }
        return output
    }
}

/// One `file:line:col: severity: message` line of compiler output.
struct Diagnostic: Equatable {
    var file: String
    var line: Int
    var column: Int
    var severity: String
    var message: String

    static func parse(_ output: String) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for raw in output.split(separator: "\n") {
            let line = String(raw)
            for severity in ["error", "warning", "note"] {
                guard let range = line.range(of: ": \(severity): ") else { continue }
                let location = line[..<range.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
                guard location.count >= 3, let l = Int(location[location.count - 2]), let c = Int(location[location.count - 1]) else { continue }
                let file = location.dropLast(2).joined(separator: ":")
                result.append(Diagnostic(file: file, line: l, column: c, severity: severity,
                                         message: String(line[range.upperBound...])))
                break
            }
        }
        return result
    }
}

extension Chapter {
    /// The step a diagnostic is in: by Markdown line, or the step whose code was replaced from
    /// the diagnostic's file (an exercise attempt).
    func step(for diagnostic: Diagnostic, plan: ProgramPlan) -> Step? {
        if diagnostic.file == path { return step(containing: diagnostic.line) }
        guard let number = plan.replacements.first(where: { $0.value.file == diagnostic.file })?.key else { return nil }
        return steps.first { $0.number == number }
    }

    /// The step whose code spans Markdown line `line`.
    func step(containing line: Int) -> Step? {
        steps.first { $0.fenceLine <= line && line <= $0.closingLine }
    }
}

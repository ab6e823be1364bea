// The parsed form of a chapter: front matter, steps in document order, and each step's
// documented output. Line numbers are 1-based lines of the Markdown file, so every report can
// point at `Chapters/x.md:LINE`.

/// A Markdown chapter whose ```swift blocks are steps.
public struct Chapter: Sendable {
    /// The path as the user gave it (reports use it verbatim, e.g. `Chapters/01-x.md`).
    public var path: String
    /// The whole file, unchanged (bless rewrites it line by line).
    public var source: String
    public var frontMatter: FrontMatter
    public var steps: [Step]
    /// Front-matter title, else the first level-1 heading, else the file name.
    public var title: String

    /// A stable identifier: front-matter `id`, else the file name without order prefix and extension.
    public var id: String {
        if let id = frontMatter.id { return id }
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasSuffix(".md") { name.removeLast(3) }
        if let dash = name.firstIndex(of: "-"), name[..<dash].allSatisfy(\.isNumber) {
            name = String(name[name.index(after: dash)...])
        }
        return name
    }

    /// The exercises of the chapter, in order of their starting code.
    public var exercises: [Exercise] {
        var result: [Exercise] = []
        for step in steps {
            guard case .exercise(let name) = step.attributes.role else { continue }
            let solution = steps.first { $0.attributes.role == .solution(name) }
            let check = steps.first { $0.attributes.role == .check(name) }
            if let solution, let check {
                result.append(Exercise(id: name, starter: step, solution: solution, check: check, hint: step.hint))
            }
        }
        return result
    }
}

/// Settings from the `---` block at the top of a chapter.
public struct FrontMatter: Sendable, Equatable {
    public var title: String?
    public var id: String?
    public var order: Int?
    /// Seconds for the whole chapter (compile excluded).
    public var timeout: Double?
    /// OpenBLAS threads for the chapter program: pinned so outputs are reproducible.
    public var threads: Int?
    /// `processes: N`: the program runs as N MPI ranks under `mpirun`, the threads split
    /// between them; nil (or 1) runs it as one ordinary process.
    public var processes: Int?
    /// What the chapter teaches, one line for the site's index (else its first paragraph).
    public var summary: String?
    /// A translation's language (BCP 47: `zh-Hans`, `ja`, `de`); nil for a source chapter.
    public var language: String?
    /// A translation's source chapter, relative to the translation's file (`../01-x.md`).
    public var translationOf: String?

    public init() {}

    public static let defaultTimeout: Double = 600
    public static let defaultThreads = 2
}

/// What a ```swift block is in the chapter.
public enum StepRole: Sendable, Equatable {
    /// An ordinary step.
    case normal
    /// ✏️ starting code of an exercise (rendered; its solution runs in its place).
    case exercise(String)
    /// The reference solution of an exercise.
    case solution(String)
    /// Hidden checks run after the exercise code; they print PASS/FAIL lines.
    case check(String)
}

/// Info-string attributes of a ```swift block.
public struct StepAttributes: Sendable, Equatable {
    public var id: String?
    public var hidden = false
    public var noRun = false
    public var expectError = false
    public var timeout: Double?
    public var role: StepRole = .normal
    public var hint: String?
    /// `needs=a,b`: the step ids an exercise attempt runs before the learner's code (and,
    /// on an ordinary step, the steps it in turn needs). nil: everything before it.
    public var needs: [String]?

    public init() {}

    /// Seconds a step may run when it sets no `timeout=`.
    public static let defaultTimeout: Double = 120
}

/// Numeric tolerance of an `approx=` output block.
public enum Tolerance: Sendable, Equatable {
    case absolute(Double)
    /// Relative, as a fraction (`approx=2%` is `.relative(0.02)`).
    case relative(Double)

    public func accepts(expected: Double, actual: Double) -> Bool {
        if expected == actual { return true }
        switch self {
        case .absolute(let tol): return abs(actual - expected) <= tol * (1 + 1e-12)
        case .relative(let fraction): return abs(actual - expected) <= fraction * abs(expected) * (1 + 1e-12)
        }
    }
}

/// Info-string attributes of an ```output block.
public struct OutputOptions: Sendable, Equatable {
    public var approx: Tolerance?
    public var unordered = false
    public var unchecked = false
    public init() {}
}

/// A documented output: the ```output block following a step.
public struct OutputBlock: Sendable {
    /// Line of the opening fence.
    public var fenceLine: Int
    /// Lines of the content (first...last); empty range for an empty block.
    public var contentLines: Range<Int>
    /// Line of the closing fence.
    public var closingLine: Int
    public var text: String
    public var options: OutputOptions
}

/// One ```swift block.
public struct Step: Sendable {
    /// 1-based position among the chapter's ```swift blocks.
    public var number: Int
    /// Line of the opening fence.
    public var fenceLine: Int
    /// Line of the closing fence (where an output block may be inserted after).
    public var closingLine: Int
    /// Leading whitespace of the fence (blocks inside list items are indented).
    public var indent: String
    public var code: String
    public var attributes: StepAttributes
    public var output: OutputBlock?
    /// For exercises: the `hint=` attribute or the blockquote right under the block.
    public var hint: String?
    /// The lines of that blockquote (`course step` shows the hint only when asked).
    public var hintLines: ClosedRange<Int>? = nil

    /// First line of the code (the line after the fence).
    public var codeLine: Int { fenceLine + 1 }

    /// Its number among the steps a learner sees (`isShown`), as `course step`'s headers,
    /// `course run`'s lines, `--from`/`--until` and `course list` count them; nil for the others.
    public var shownNumber: Int?

    /// A step the learner sees and runs: not a hidden step, not an exercise's hidden check, not
    /// an exercise's starting code or a `no-run` block (which never run).
    public var isShown: Bool {
        guard runs, !attributes.hidden else { return false }
        if case .check = attributes.role { return false }
        return true
    }

    /// `step 7 "align"`, as reports name it: numbered as the learner counts (`shownNumber`);
    /// the steps a learner does not see are named by what they are.
    public var label: String {
        let id = attributes.id.map { " \"\($0)\"" } ?? ""
        if let n = shownNumber {
            if case .solution(let name) = attributes.role { return "step \(n) (solution \(name))" }
            return "step \(n)\(id)"
        }
        switch attributes.role {
        case .exercise(let name): return "exercise \(name)"
        case .check(let name): return "check \(name)\(id)"
        case .solution(let name): return "solution \(name)"
        case .normal: return (attributes.noRun ? "no-run step" : "hidden step") + id
        }
    }

    /// Whether the chapter program runs this block.
    public var runs: Bool {
        if attributes.noRun { return false }
        if case .exercise = attributes.role { return false }
        return true
    }
}

/// A ✏️ exercise: starting code, reference solution, hidden checks and a hint.
public struct Exercise: Sendable {
    public var id: String
    public var starter: Step
    public var solution: Step
    public var check: Step
    public var hint: String?
}

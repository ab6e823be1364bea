// Markdown chapter → `Chapter`. cmark finds the code blocks (so a ``` inside a list, a
// blockquote or an indented block is handled as CommonMark says); the source lines give the
// fences themselves, which bless needs to rewrite output blocks in place.

public enum ChapterParser {
    /// Parses a chapter file's text. Collects every problem and throws them together.
    public static func parse(_ source: String, path: String) throws(ChapterErrors) -> Chapter {
        let lines = source.lines()
        var errors: [ChapterError] = []

        var frontMatter = FrontMatter()
        var frontLines = 0
        do {
            (frontMatter, frontLines) = try FrontMatterParser.parse(lines, path: path)
        } catch {
            errors.append(error)
        }
        // Blank out the front matter (same line count) so cmark's line numbers stay file lines.
        var body = source
        if frontLines > 0 {
            body = String(repeating: "\n", count: frontLines) + lines.dropFirst(frontLines).joined(separator: "\n")
        }

        let document = MarkdownDocument(body)
        var steps: [Step] = []
        var firstHeading: String?
        var seenIDs: [String: Int] = [:]

        for node in document.nodes() {
            if node.isHeading, node.headingLevel == 1, firstHeading == nil { firstHeading = node.plainText }
            guard node.isCodeBlock else { continue }
            guard let fence = Fence(lines: lines, node: node) else { continue }   // indented code: prose
            guard let (language, attributes) = InfoString.split(node.fenceInfo) else {
                errors.append(ChapterError(path, node.startLine, "unbalanced quote in the fence info string '\(node.fenceInfo)'"))
                continue
            }
            guard language == "swift" || language == "output" else {
                if let meant = FenceLanguage.nearMiss(language) {
                    errors.append(FenceLanguage.error(language, meant: meant, path: path, line: node.startLine))
                }
                continue
            }
            if !fence.closed {
                errors.append(ChapterError(path, node.startLine,
                    "the ```\(language) block opened here is never closed: add a closing ``` line"))
                continue
            }
            if language == "swift" {
                var attrs = StepAttributes()
                do {
                    attrs = try InfoString.stepAttributes(attributes, path: path, line: node.startLine)
                } catch {
                    // Keep the step (with no attributes) so its output block is not reported as orphaned.
                    errors.append(error)
                }
                if let id = attrs.id {
                    if let previous = seenIDs[id] {
                        errors.append(ChapterError(path, node.startLine, "step id '\(id)' is already used at line \(previous)"))
                    }
                    seenIDs[id] = node.startLine
                }
                var hint = attrs.hint
                var hintLines: ClosedRange<Int>?
                if case .exercise = attrs.role, hint == nil, let next = node.next, next.isBlockQuote {
                    hint = next.plainText
                    hintLines = next.startLine...max(next.startLine, next.endLine)
                }
                var step = Step(number: steps.count + 1, fenceLine: node.startLine, closingLine: fence.closingLine,
                                indent: fence.indent, code: node.literal, attributes: attrs, output: nil, hint: hint,
                                hintLines: hintLines)
                if step.isShown { step.shownNumber = steps.filter(\.isShown).count + 1 }
                steps.append(step)
            } else {
                do {
                    let options = try InfoString.outputOptions(attributes, path: path, line: node.startLine)
                    guard let last = steps.indices.last else {
                        errors.append(ChapterError(path, node.startLine,
                            "an ```output block must follow the ```swift step whose output it documents; none comes before it"))
                        continue
                    }
                    if let existing = steps[last].output {
                        errors.append(ChapterError(path, node.startLine,
                            "\(steps[last].label) already has an output block (line \(existing.fenceLine)); one output block per step"))
                        continue
                    }
                    if case .exercise(let name) = steps[last].attributes.role {
                        errors.append(ChapterError(path, node.startLine,
                            "an output block cannot document the starting code of exercise '\(name)': put it after solution=\(name)"))
                        continue
                    }
                    let contentEnd = fence.closingLine
                    steps[last].output = OutputBlock(fenceLine: node.startLine,
                                                     contentLines: (node.startLine + 1)..<contentEnd,
                                                     closingLine: contentEnd, text: node.literal, options: options)
                } catch {
                    errors.append(error)
                }
            }
        }
        errors += validateExercises(steps, path: path)
        errors += ExerciseDependencies.validate(steps, path: path)
        if !errors.isEmpty { throw ChapterErrors(errors: errors.sorted { $0.line < $1.line }) }

        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        return Chapter(path: path, source: source, frontMatter: frontMatter, steps: steps,
                       title: frontMatter.title ?? firstHeading ?? fileName)
    }

    /// Each exercise needs its starting code, then a solution and a check, in that order.
    static func validateExercises(_ steps: [Step], path: String) -> [ChapterError] {
        var errors: [ChapterError] = []
        var starters: [String: Step] = [:]
        var solutions: [String: Step] = [:]
        var checks: [String: Step] = [:]
        for step in steps {
            switch step.attributes.role {
            case .normal: break
            case .exercise(let name):
                if starters[name] != nil { errors.append(ChapterError(path, step.fenceLine, "exercise '\(name)' is defined twice")) }
                starters[name] = step
            case .solution(let name):
                if starters[name] == nil {
                    errors.append(ChapterError(path, step.fenceLine, "solution=\(name) comes before (or without) its exercise=\(name) block"))
                }
                if solutions[name] != nil { errors.append(ChapterError(path, step.fenceLine, "exercise '\(name)' has two solutions")) }
                solutions[name] = step
            case .check(let name):
                if solutions[name] == nil {
                    errors.append(ChapterError(path, step.fenceLine, "check=\(name) must come after solution=\(name)"))
                }
                if checks[name] != nil { errors.append(ChapterError(path, step.fenceLine, "exercise '\(name)' has two checks")) }
                checks[name] = step
            }
        }
        for (name, starter) in starters.sorted(by: { $0.value.fenceLine < $1.value.fenceLine }) {
            if solutions[name] == nil { errors.append(ChapterError(path, starter.fenceLine, "exercise '\(name)' has no ```swift solution=\(name) block")) }
            if checks[name] == nil { errors.append(ChapterError(path, starter.fenceLine, "exercise '\(name)' has no ```swift check=\(name) block")) }
        }
        return errors
    }
}

/// The fence of a fenced code block, read from its source lines.
struct Fence {
    var indent: String
    var closed: Bool
    /// 1-based line of the closing fence (where it would be, if `closed` is false).
    var closingLine: Int

    /// nil for an indented (unfenced) code block.
    init?(lines: [Substring], node: MarkdownNode) {
        let start = node.startLine - 1
        guard start >= 0, start < lines.count else { return nil }
        guard let (prefix, char, length) = Fence.opening(lines[start]) else { return nil }
        indent = String(prefix.map { $0 == "\t" || $0 == ">" ? $0 : " " })
        // cmark's end line is unreliable inside list items; the literal's line count is not.
        let literal = node.literal
        let contentLines = literal.isEmpty ? 0 : literal.lines().count - (literal.hasSuffix("\n") ? 1 : 0)
        closingLine = node.startLine + contentLines + 1
        let end = closingLine - 1
        if end > start, end < lines.count {
            let closing = lines[end].trimmingCharacters().drop { $0 == ">" || $0 == " " }
            closed = closing.count >= length && closing.allSatisfy { $0 == char }
        } else {
            closed = false
        }
    }

    /// Prefix (indent, list marker or quote marker), fence character and fence length.
    static func opening(_ line: Substring) -> (Substring, Character, Int)? {
        guard let at = line.firstIndex(where: { $0 == "`" || $0 == "~" }) else { return nil }
        let prefix = line[..<at]
        guard prefix.allSatisfy({ " \t>-*+.)0123456789".contains($0) }) else { return nil }
        let char = line[at]
        let length = line[at...].prefix { $0 == char }.count
        return length >= 3 ? (prefix, char, length) : nil
    }
}

extension ChapterParser {
    /// The chapter's Markdown with the front matter blanked (same line count), as the parser
    /// hands it to cmark, so node lines are file lines.
    static func body(of chapter: Chapter) -> String {
        let lines = chapter.source.lines()
        guard let (_, frontLines) = try? FrontMatterParser.parse(lines, path: chapter.path), frontLines > 0 else {
            return chapter.source
        }
        return String(repeating: "\n", count: frontLines) + lines.dropFirst(frontLines).joined(separator: "\n")
    }
}

import Testing
@testable import CourseKit

private func parse(_ text: String) throws -> Chapter { try ChapterParser.parse(text, path: "Chapters/t.md") }

private func errors(_ text: String) -> [ChapterError] {
    do { _ = try parse(text); return [] } catch let e as ChapterErrors { return e.errors } catch { return [] }
}

/// Seeds belong to the chapter's code (one owner per setting): a front-matter seed is an error
/// that says where seeds go, not a setting that silently changes nothing.
@Test func frontMatterSeedIsAnErrorThatSaysWhereSeedsGo() {
    do {
        _ = try parse("---\ntitle: T\nseed: 7\n---\n# T\n\n```swift\nprint(1)\n```\n")
        Issue.record("a front-matter seed was accepted")
    } catch {
        #expect("\(error)".contains(":3: error: front matter 'seed' is not a setting: a chapter seeds in its code"), "\(error)")
    }
}

@Test func parsesFrontMatterStepsAndOutputs() throws {
    let text = """
        ---
        title: "A title"
        id: intro
        order: 3
        processes: 1
        timeout: 90
        threads: 1
        ---
        # Heading

        ```swift id=first hidden timeout=5
        print(1)
        ```

        Some prose between the step and its output.

        ```output approx=2% unordered
        1
        ```

        ```swift no-run
        print(2)
        ```

        ```python
        print("prose, not a step")
        ```
        """
    let chapter = try parse(text)
    #expect(chapter.title == "A title")
    #expect(chapter.id == "intro")
    #expect(chapter.frontMatter.order == 3 && chapter.frontMatter.threads == 1)
    #expect(chapter.frontMatter.timeout == 90)
    #expect(chapter.steps.count == 2)
    let first = chapter.steps[0]
    #expect(first.fenceLine == 11 && first.codeLine == 12 && first.closingLine == 13)
    #expect(first.attributes.id == "first" && first.attributes.hidden && first.attributes.timeout == 5)
    #expect(first.code == "print(1)\n")
    #expect(first.output?.fenceLine == 17)
    #expect(first.output?.contentLines == 18..<19)
    #expect(first.output?.options.approx == .relative(0.02))
    #expect(first.output?.options.unordered == true)
    #expect(chapter.steps[1].attributes.noRun && !chapter.steps[1].runs)
}

@Test func titleFallsBackToHeadingThenFileName() throws {
    #expect(try parse("# Hello *world*\n").title == "Hello world")
    #expect(try parse("no heading\n").title == "t.md")
    #expect(try ChapterParser.parse("x\n", path: "Chapters/01-token-classification.md").id == "token-classification")
}

@Test func unknownAttributesAreErrorsWithLines() {
    let found = errors("text\n\n```swift hiden\nprint(1)\n```\n\n```output unorderd\n1\n```\n")
    #expect(found.count == 2)
    #expect(found[0].line == 3 && found[0].message.contains("unknown attribute 'hiden'"))
    #expect(found[1].line == 7 && found[1].message.contains("unknown attribute 'unorderd'"))
    #expect(found[0].description.hasPrefix("Chapters/t.md:3: error: "))
}

@Test func outputWithoutStepIsAnError() {
    let found = errors("# T\n\n```output\nhello\n```\n")
    #expect(found.map(\.line) == [3])
    #expect(found.first?.message.contains("must follow the ```swift step") == true)
}

@Test func secondOutputBlockIsAnError() {
    let found = errors("```swift\nprint(1)\n```\n```output\n1\n```\n```output\n1\n```\n")
    #expect(found.map(\.line) == [7])
}

@Test func badValuesAreErrors() {
    #expect(errors("```swift timeout=soon\n```\n").first?.message.contains("timeout=soon") == true)
    #expect(errors("```swift\n```\n```output approx=lots\n```\n").first?.message.contains("approx needs a tolerance") == true)
    #expect(errors("```swift id\n```\n").first?.message.contains("needs a value") == true)
    #expect(errors("```swift hidden=yes\n```\n").first?.message.contains("takes no value") == true)
    #expect(errors("```swift id=a\n```\n```swift id=a\n```\n").first?.message.contains("already used at line 1") == true)
    #expect(errors("```swift hint=\"x\"\n```\n").first?.message.contains("hint= belongs on an exercise") == true)
}

@Test func frontMatterErrors() {
    #expect(errors("---\ntitle: x\n").first?.message.contains("never closed") == true)
    #expect(errors("---\ncolour: red\n---\n").first.map { ($0.line, $0.message.contains("unknown front matter key 'colour'")) } ?? (0, false) == (2, true))
    #expect(errors("---\nthreads: many\n---\n").first?.message.contains("must be an integer") == true)
    #expect(errors("---\nprocesses: 0\n---\n").first?.message.contains("processes must be between 1 and 64") == true)
}

@Test func processesIsParsed() throws {
    let chapter = try parse("---\nprocesses: 2\nthreads: 2\n---\n```swift\nprint(1)\n```\n")
    #expect(chapter.frontMatter.processes == 2 && chapter.frontMatter.threads == 2)
    #expect(try parse("```swift\nprint(1)\n```\n").frontMatter.processes == nil)
}

@Test func unclosedFenceIsAnError() {
    let found = errors("# T\n\n```swift\nprint(1)\n")
    #expect(found.map(\.line) == [3])
    #expect(found.first?.message.contains("never closed") == true)
}

@Test func exercisesNeedSolutionAndCheck() throws {
    let ok = """
        ```swift exercise=e1
        // TODO
        ```

        > Use a loop.

        ```swift solution=e1
        print("x")
        ```

        ```output
        x
        ```

        ```swift check=e1
        print("PASS")
        ```
        """
    let chapter = try parse(ok)
    #expect(chapter.exercises.count == 1)
    #expect(chapter.exercises.first?.hint == "Use a loop.")
    #expect(chapter.steps[0].runs == false)
    #expect(chapter.steps[1].output?.text == "x\n")

    #expect(errors("```swift exercise=e1\n```\n").map(\.message).sorted() == [
        "exercise 'e1' has no ```swift check=e1 block", "exercise 'e1' has no ```swift solution=e1 block"])
    #expect(errors("```swift solution=e2\n```\n").first?.message.contains("comes before (or without)") == true)
    #expect(errors("```swift exercise=e3\n```\n```output\nx\n```\n```swift solution=e3\n```\n```swift check=e3\n```\n")
        .first?.message.contains("cannot document the starting code") == true)
}

@Test func hintAttributeWithQuotes() throws {
    let chapter = try parse("```swift exercise=a hint=\"use two words\"\n```\n```swift solution=a\n```\n```swift check=a\n```\n")
    #expect(chapter.exercises.first?.hint == "use two words")
}

@Test func stepsInsideListsKeepTheirIndent() throws {
    let chapter = try parse("- item\n\n  ```swift\n  print(1)\n  ```\n")
    #expect(chapter.steps.first?.indent == "  ")
    #expect(chapter.steps.first?.closingLine == 5)
    #expect(chapter.steps.first?.code == "print(1)\n")
}

@Test func emptyOutputBlock() throws {
    let chapter = try parse("```swift\n```\n```output\n```\n")
    #expect(chapter.steps.first?.output?.contentLines == 4..<4)
    #expect(chapter.steps.first?.output?.text == "")
}

@Test func needsNamesEarlierStepsAndIsClosedOverTheirNeeds() throws {
    let text = """
        ```swift id=a
        let a = 1
        ```

        ```swift id=b needs=a
        let b = a + 1
        ```

        ```swift id=c
        let c = 3
        ```

        ```swift exercise=e needs=b
        // TODO
        ```

        ```swift solution=e
        print(b)
        ```

        ```swift check=e
        print("PASS")
        ```
        """
    let chapter = try parse(text)
    let exercise = try #require(chapter.exercises.first)
    #expect(exercise.needs == ["b"])
    #expect(chapter.stepsNeeded(by: exercise) == [1, 2])
    var plan = ProgramPlan()
    plan.onlySteps = [1, 2, exercise.solution.number, exercise.check.number]
    let source = ProgramGenerator.mainSource(chapter, plan: plan)
    #expect(source.contains("let a = 1") && source.contains("let b = a + 1") && !source.contains("let c = 3"))
}

@Test func badNeedsAreErrorsAtTheirLine() {
    let text = """
        ```swift id=a
        let a = 1
        ```

        ```swift exercise=e needs=a,later
        // TODO
        ```

        ```swift solution=e needs=a
        print(a)
        ```

        ```swift check=e
        print("PASS")
        ```

        ```swift id=later
        let z = 0
        ```

        ```swift needs=nope
        let y = 0
        ```

        ```swift needs=a,,b
        ```
        """
    let messages = errors(text).map { "\($0.line): \($0.message)" }
    #expect(messages.contains("5: needs=later: 'later' comes after this block; name earlier steps by their id= (a)"))
    #expect(messages.contains { $0.hasPrefix("9: needs= belongs on the exercise=ID block") })
    #expect(messages.contains { $0.hasPrefix("21: needs=nope: 'nope' is not a step id") })
    #expect(messages.contains { $0.hasPrefix("25: needs= takes step ids separated by commas") })
}

@Test func nearMissesOfSwiftAndOutputAreCaught() {
    for typo in ["Swift", "SWIFT", "swfit", "swit", "sift", "swiift", "swift,id=x", "swift:hidden", "Output", "outptu", "ouput", "outputs"] {
        #expect(FenceLanguage.nearMiss(typo) != nil, "\(typo)")
    }
    #expect(FenceLanguage.nearMiss("swfit") == "swift" && FenceLanguage.nearMiss("Output") == "output")
    // Real languages (and the two fences themselves) are not typos.
    for language in ["swift", "output", "sh", "bash", "python", "text", "json", "yaml", "c", "cpp", "rust", "diff", "console", "shell", "toml", "html", "swiftinterface"] {
        #expect(FenceLanguage.nearMiss(language) == nil, "\(language)")
    }
    let found = errors("```swift\nprint(1)\n```\n\n```Swift\nprint(2)\n```\n\n```sh\nls\n```\n")
    #expect(found.map(\.line) == [5])
    #expect(found.first?.message.contains("Did you mean ```swift?") == true)
}

// What an exercise attempt runs. By default an attempt runs the chapter from the top to the
// exercise's check, which after a fine-tune costs minutes per try. An exercise block can name
// the steps its code really uses, `needs=load,tokenizer`; an attempt then runs only those (and
// the steps they name in turn with their own `needs=`), in document order, then the learner's
// code and the check. `course dev check-exercises` runs solutions exactly this way, so a
// `needs=` list that misses something fails there, not on a learner's machine.

enum ExerciseDependencies {
    /// Every `needs=` name must be the id of an earlier step that runs.
    static func validate(_ steps: [Step], path: String) -> [ChapterError] {
        var errors: [ChapterError] = []
        var earlier: [String: Step] = [:]
        for step in steps {
            for name in step.attributes.needs ?? [] {
                guard let target = earlier[name] else {
                    let known = earlier.keys.sorted { earlier[$0]!.number < earlier[$1]!.number }
                    let why = steps.contains { $0.attributes.id == name } ? "comes after this block" : "is not a step id"
                    errors.append(ChapterError(path, step.fenceLine, "needs=\(name): '\(name)' \(why); name earlier steps by "
                        + "their id= (\(known.isEmpty ? "there are none" : known.joined(separator: ", ")))"))
                    continue
                }
                if !target.runs || target.attributes.role != .normal {
                    errors.append(ChapterError(path, step.fenceLine, "needs=\(name): step '\(name)' does not run as an "
                        + "ordinary step (no-run, or part of an exercise), so nothing can depend on it"))
                }
            }
            if let id = step.attributes.id { earlier[id] = step }
        }
        return errors
    }
}

extension Exercise {
    /// The step ids the exercise names with `needs=`, or nil when an attempt runs every step
    /// before it.
    public var needs: [String]? { starter.attributes.needs }
}

extension Chapter {
    /// The numbers of the steps an attempt at `exercise` runs before the learner's code: the
    /// closure of its `needs=` over the steps' own `needs=`, or nil (everything before it)
    /// when the exercise names none. Hidden steps are not added: name them if they are needed.
    public func stepsNeeded(by exercise: Exercise) -> Set<Int>? {
        guard let needs = exercise.needs else { return nil }
        let byID = Dictionary(steps.compactMap { s in s.attributes.id.map { ($0, s) } }, uniquingKeysWith: { a, _ in a })
        var result = Set<Int>()
        var pending = needs
        while let name = pending.popLast() {
            guard let step = byID[name], result.insert(step.number).inserted else { continue }
            pending += step.attributes.needs ?? []
        }
        return result
    }
}

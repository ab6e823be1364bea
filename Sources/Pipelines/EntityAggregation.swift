import Foundation

/// One non-special token before aggregation: its probabilities over the labels [L], where it
/// is in the text, and whether it continues the previous token's word.
struct PreEntity {
    var word: String
    var scores: [Float]
    var start: Int
    var end: Int
    var index: Int
    var isSubword: Bool
}

/// The aggregation steps of the Python token-classification pipeline, on pre-entities.
/// `decode` joins token strings into text (the tokenizer's decoder), `id2label` names labels.
struct EntityAggregator {
    let strategy: AggregationStrategy
    let id2label: [Int: String]
    let decode: ([String]) -> String

    func label(_ i: Int) -> String { id2label[i] ?? "LABEL_\(i)" }

    /// Index of the largest score; ties go to the first, as numpy's argmax.
    func argmax(_ s: [Float]) -> Int {
        var best = 0
        for j in s.indices where s[j] > s[best] { best = j }
        return best
    }

    func aggregate(_ pre: [PreEntity]) -> [Entity] {
        switch strategy {
        case .none, .simple:
            let tokens = pre.map { p -> Entity in
                let i = argmax(p.scores)
                return Entity(entity: label(i), score: p.scores[i], index: p.index, word: p.word, start: p.start, end: p.end)
            }
            return strategy == .none ? tokens : groupEntities(tokens)
        case .first, .average, .max:
            return groupEntities(aggregateWords(pre))
        }
    }

    /// Splits tokens into words (a subword joins the word before it) and labels each word.
    func aggregateWords(_ pre: [PreEntity]) -> [Entity] {
        var words: [Entity] = []
        var group: [PreEntity] = []
        for p in pre {
            if !group.isEmpty && !p.isSubword {
                words.append(aggregateWord(group))
                group = []
            }
            group.append(p)
        }
        if !group.isEmpty { words.append(aggregateWord(group)) }
        return words
    }

    /// The label of one word from its tokens' scores, by the strategy.
    func aggregateWord(_ tokens: [PreEntity]) -> Entity {
        let scores: [Float]
        switch strategy {
        case .max:
            // The token whose best score is highest (the first of equals, as Python's max).
            var best = tokens[0]
            for t in tokens.dropFirst() where (t.scores.max() ?? 0) > (best.scores.max() ?? 0) { best = t }
            scores = best.scores
        case .average:
            scores = tokens[0].scores.indices.map { j in
                Float(tokens.reduce(0.0) { $0 + Double($1.scores[j]) } / Double(tokens.count))
            }
        default:
            scores = tokens[0].scores
        }
        let i = argmax(scores)
        return Entity(entity: label(i), score: scores[i], word: decode(tokens.map(\.word)),
                      start: tokens[0].start, end: tokens[tokens.count - 1].end)
    }

    /// "B-PER" → ("B", "PER"), "I-PER" → ("I", "PER"); any other label is an inside tag of itself.
    func tag(_ name: String) -> (bi: String, tag: String) {
        if name.hasPrefix("B-") { return ("B", String(name.dropFirst(2))) }
        if name.hasPrefix("I-") { return ("I", String(name.dropFirst(2))) }
        return ("I", name)
    }

    /// Groups consecutive entities of the same tag; a B- tag always starts a new group.
    func groupEntities(_ entities: [Entity]) -> [Entity] {
        var groups: [Entity] = []
        var current: [Entity] = []
        for e in entities {
            if let last = current.last {
                let (bi, t) = tag(e.entity ?? ""), (_, lastTag) = tag(last.entity ?? "")
                if !(t == lastTag && bi != "B") {
                    groups.append(groupSubEntities(current))
                    current = []
                }
            }
            current.append(e)
        }
        if !current.isEmpty { groups.append(groupSubEntities(current)) }
        return groups
    }

    /// One group: the label after its first "-", the mean score, the decoded words.
    func groupSubEntities(_ entities: [Entity]) -> Entity {
        let first = entities[0].entity ?? ""
        let name = first.firstIndex(of: "-").map { String(first[first.index(after: $0)...]) } ?? first
        let mean = entities.reduce(0.0) { $0 + Double($1.score) } / Double(entities.count)
        return Entity(entityGroup: name, score: Float(mean), word: decode(entities.map(\.word)),
                      start: entities[0].start, end: entities[entities.count - 1].end)
    }
}

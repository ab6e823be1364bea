import Foundation

// The command line as HfArgumentParser reads it (argparse underneath): `--name value` or
// `--name=value`, snake_case or kebab-case; a boolean alone means true, or takes
// true/false/yes/no/1/0 after it; a boolean whose default is true also has `--no_<name>`; the
// last of a repeated option wins; an unambiguous prefix stands for its option (argparse's
// abbreviations); a single `.json` argument holds every option instead.

/// Option values by snake_case name, as text (nil: Python's `None`), for one subcommand.
public struct ParsedOptions: Sendable, Equatable {
    /// The subcommand these options are for.
    public let task: FineTuneTask
    /// Every option of the subcommand: the given value, else the default.
    public private(set) var values: [String: String?]
    /// The names given on the command line or in the JSON file.
    public private(set) var given: Set<String> = []

    /// The table's defaults for `task`.
    public init(defaultsFor task: FineTuneTask) {
        self.task = task
        values = Dictionary(OptionTable.options(for: task).map { ($0.name, $0.defaultValue) }, uniquingKeysWith: { a, _ in a })
    }

    /// Sets an option (already checked against its kind).
    mutating func set(_ name: String, _ value: String?) {
        values[name] = .some(value)
        given.insert(name)
    }

    /// The value of `name` (nil when unset / None).
    public subscript(name: String) -> String? { values[name] ?? nil }
}

/// Reads `finetune <subcommand>` arguments into `ParsedOptions`.
public enum OptionParser {
    /// Parses `arguments` (those after the subcommand). A single argument ending in `.json` is a
    /// file of options. Throws a `FineTuneError` naming the bad option (and the closest real one).
    public static func parse(_ arguments: [String], task: FineTuneTask) throws -> ParsedOptions {
        if arguments.count == 1, arguments[0].hasSuffix(".json") {
            return try parseJSONFile(arguments[0], task: task)
        }
        var options = ParsedOptions(defaultsFor: task)
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw FineTuneError("unexpected argument '\(argument)': options start with --, e.g. --model_name_or_path "
                    + "bert-base-cased (a single .json argument may hold them all)")
            }
            var name = String(argument.dropFirst(2)), inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            name = name.replacingOccurrences(of: "-", with: "_")
            // `--no_pad_to_max_length`: HfArgumentParser's complement of a boolean that defaults to true.
            if name.hasPrefix("no_"), let spec = OptionTable.spec(String(name.dropFirst(3)), for: task),
               spec.kind == .bool, spec.defaultValue == "true", inline == nil {
                options.set(spec.name, "false")
                continue
            }
            let spec = try lookUp(name, as: argument, task: task)
            let value: String
            if let inline {
                value = inline
            } else if spec.kind == .bool {
                // A boolean takes the next argument only if it reads as one.
                if i < arguments.count, (try? parseBool(arguments[i], option: spec.name)) != nil {
                    value = arguments[i]; i += 1
                } else {
                    value = "true"
                }
            } else {
                guard i < arguments.count, !arguments[i].hasPrefix("--") else {
                    throw FineTuneError("--\(spec.name) needs a value, e.g. --\(spec.name) \(example(spec))")
                }
                value = arguments[i]; i += 1
            }
            options.set(spec.name, try check(value, spec))
        }
        return options
    }

    /// Reads a JSON object of options (`{"model_name_or_path": "...", "do_train": true}`), as
    /// `HfArgumentParser.parse_json_file` does: every key must be an option.
    public static func parseJSONFile(_ path: String, task: FineTuneTask) throws -> ParsedOptions {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw FineTuneError("cannot read the options file \(path): does it exist?")
        }
        let object: [String: JSONScalar]
        do { object = try JSONDecoder().decode([String: JSONScalar].self, from: data) } catch {
            throw FineTuneError("\(path) is not a JSON object of options with text, number, boolean or null values "
                + "(e.g. {\"model_name_or_path\": \"bert-base-cased\", \"do_train\": true}): \(error)")
        }
        var options = ParsedOptions(defaultsFor: task)
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            let spec = try lookUp(key.replacingOccurrences(of: "-", with: "_"), as: "\"\(key)\" in \(path)", task: task,
                                allowPrefix: false)
            guard let text = value.text else { options.set(spec.name, nil); continue }
            options.set(spec.name, try check(text, spec))
        }
        return options
    }

    /// The spec of `name`, or an error naming the closest real option.
    /// `allowPrefix`: the command line takes argparse's abbreviations; a JSON file's keys must be whole
    /// (HfArgumentParser's `parse_dict` rejects unknown keys).
    static func lookUp(_ name: String, as written: String, task: FineTuneTask, allowPrefix: Bool = true) throws -> OptionSpec {
        if let spec = OptionTable.spec(name, for: task) { return spec }
        let names = OptionTable.options(for: task).map(\.name)
        // argparse (under HfArgumentParser) takes an unambiguous prefix of an option for the option.
        let extensions = allowPrefix ? Array(Set(names.filter { $0.hasPrefix(name) })).sorted() : []
        if extensions.count == 1, let only = extensions.first, let spec = OptionTable.spec(only, for: task) { return spec }
        if extensions.count > 1 {
            throw FineTuneError("ambiguous option \(written): it could be "
                + extensions.map { "--\($0)" }.joined(separator: ", ") + "; write it out")
        }
        var message = "unknown option \(written) for finetune \(task.rawValue)"
        if let other = FineTuneTask.allCases.first(where: { $0 != task && OptionTable.spec(name, for: $0) != nil }) {
            message += " (it is an option of finetune \(other.rawValue))"
        } else if let near = closest(to: name, in: names) {
            message += "; did you mean --\(near)?"
        }
        throw FineTuneError(message + " (finetune \(task.rawValue) --help lists them all)")
    }

    /// The value normalised for its kind (booleans to true/false), or an error naming the option.
    static func check(_ value: String, _ spec: OptionSpec) throws -> String {
        switch spec.kind {
        case .bool: return try parseBool(value, option: spec.name) ? "true" : "false"
        case .int:
            guard Int(value) != nil else { throw FineTuneError("--\(spec.name) takes a whole number, got '\(value)'") }
        case .float:
            guard let x = Double(value), x.isFinite else {
                throw FineTuneError("--\(spec.name) takes a number, got '\(value)'")
            }
        case .string:
            if let choices = spec.choices {
                // report_to may list several integrations, comma-separated.
                let parts = spec.name == "report_to" ? value.split(separator: ",").map(String.init) : [value]
                for part in parts where !choices.contains(part) {
                    let near = closest(to: part, in: choices).map { "; did you mean '\($0)'?" } ?? ""
                    throw FineTuneError("--\(spec.name) must be one of \(choices.joined(separator: ", ")), got '\(part)'\(near)")
                }
            }
        }
        return value
    }

    /// HfArgumentParser's `string_to_bool`: yes/true/t/y/1 and no/false/f/n/0, any case.
    static func parseBool(_ text: String, option: String) throws -> Bool {
        switch text.lowercased() {
        case "yes", "true", "t", "y", "1": return true
        case "no", "false", "f", "n", "0": return false
        default: throw FineTuneError("--\(option) is true or false (or alone, meaning true), got '\(text)'")
        }
    }

    /// A sample value for an error message.
    static func example(_ spec: OptionSpec) -> String {
        spec.choices?.first ?? spec.defaultValue ?? (spec.kind == .string ? "<text>" : "1")
    }
}

/// A JSON option value: text, number, boolean, null, or a list of texts (report_to).
enum JSONScalar: Decodable {
    case text(String)
    case null

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .text(b ? "true" : "false"); return }
        if let n = try? c.decode(Int.self) { self = .text(String(n)); return }
        if let x = try? c.decode(Double.self) { self = .text(String(x)); return }
        if let s = try? c.decode(String.self) { self = .text(s); return }
        if let list = try? c.decode([String].self) { self = .text(list.joined(separator: ",")); return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a text, number, boolean, null or list of texts")
    }

    /// The value as the command line would spell it (nil for null).
    var text: String? {
        if case .text(let s) = self { return s }
        return nil
    }
}

// The schema tree, from the footer's flattened list (depth-first, each group followed by its
// `numChildren` children), reduced to the columns this reader supports: a top-level primitive
// (`optional binary text (STRING)`) or a list of primitives, as pyarrow writes `list<string>`:
//
//     optional group tokens (LIST) {       definition level 1: the list exists
//       repeated group list {              level 2 (repetition level 1): an element slot
//         optional binary element (STRING) level 3: the element is not null
//       }
//     }
//
// Anything else (structs, maps, lists of lists) is reported by name rather than misread.

/// What one top-level column holds.
public struct ParquetColumn: Sendable, CustomStringConvertible {
    /// A column of one value per row (`scalar`) or of a list of values per row (`list`).
    public enum Shape: Sendable { case scalar, list }
    /// The value kind after logical annotations.
    public enum Kind: Sendable, Equatable { case bool, int32, int64, uint32, uint64, float, double, string }

    /// The column's name in the schema.
    public let name: String
    /// One value per row, or a list per row.
    public let shape: Shape
    /// The kind of each value (of each element, for a list).
    public let kind: Kind
    let physical: PhysicalType
    /// Index of its leaf among all leaves (= its column chunk in every row group).
    let leafIndex: Int
    /// The leaf's path in the schema (`tokens.list.element`), matched against each chunk.
    let path: [String]
    let maxDefinition: Int
    let maxRepetition: Int
    /// Definition level at which the top-level field is present (0 if required).
    let presentLevel: Int
    /// Definition level at which a list has at least one element slot.
    let slotLevel: Int

    public var description: String {
        let k = "\(kind)"
        return shape == .list ? "list<\(k)>" : k
    }
}

/// The top-level columns of a file; unsupported ones carry the reason instead.
struct Schema {
    var columns: [(name: String, result: Result<ParquetColumn, ParquetError>)] = []
    var leafCount = 0

    init(_ elements: [SchemaElement], file: String) throws {
        guard let root = elements.first else { throw ParquetError("\(file): the footer has an empty schema") }
        var next = 1
        var leaf = 0
        // Reads the subtree at `next`, returning its leaves' paths and elements.
        func subtree(depth: Int) throws -> [(path: [String], chain: [SchemaElement])] {
            guard depth < 16 else { throw ParquetError("\(file): the schema is nested more than 16 levels deep") }
            guard next < elements.count else {
                throw ParquetError("\(file): the schema is corrupt (a group names more children than there are elements)")
            }
            let node = elements[next]
            next += 1
            if node.numChildren == 0 {
                guard node.type != nil || node.typeCode == nil else {
                    throw ParquetError("\(file): column '\(node.name)' has an unknown physical type \(node.typeCode ?? -1)")
                }
                return [([node.name], [node])]
            }
            var out: [(path: [String], chain: [SchemaElement])] = []
            for _ in 0..<node.numChildren {
                for (path, chain) in try subtree(depth: depth + 1) { out.append(([node.name] + path, [node] + chain)) }
            }
            return out
        }
        for _ in 0..<root.numChildren {
            let top = elements.indices.contains(next) ? elements[next].name : "?"
            let leaves = try subtree(depth: 0)
            defer { leaf += leaves.count }
            columns.append((top, Self.column(top, leaves: leaves, firstLeaf: leaf)))
        }
        leafCount = leaf
        guard next == elements.count else {
            throw ParquetError("\(file): the schema is corrupt (\(elements.count - next) elements belong to no group)")
        }
    }

    private static func column(_ name: String, leaves: [(path: [String], chain: [SchemaElement])],
                               firstLeaf: Int) -> Result<ParquetColumn, ParquetError> {
        guard leaves.count == 1, let (path, chain) = leaves.first, let leafNode = chain.last else {
            return .failure(ParquetError("column '\(name)' is a struct or map (\(leaves.count) leaf columns); "
                + "this reader reads scalars and lists of scalars"))
        }
        var definition = 0, repetition = 0
        var levels: [Int] = []
        for node in chain {
            if node.repetition != .required { definition += 1 }
            if node.repetition == .repeated { repetition += 1 }
            levels.append(definition)
        }
        guard repetition <= 1 else {
            return .failure(ParquetError("column '\(name)' is a list of lists; this reader reads lists of scalars only"))
        }
        let shape: ParquetColumn.Shape
        let slotLevel: Int
        if repetition == 1 {
            // 3-level list (group LIST > repeated group > element) or a bare repeated field.
            guard let repeatedAt = chain.firstIndex(where: { $0.repetition == .repeated }),
                  chain.count - repeatedAt <= 2, repeatedAt <= 1 else {
                return .failure(ParquetError("column '\(name)' nests a list inside a struct; this reader reads lists of scalars only"))
            }
            shape = .list
            slotLevel = levels[repeatedAt]
        } else {
            guard chain.count == 1 else {
                return .failure(ParquetError("column '\(name)' is a struct; this reader reads scalars and lists of scalars"))
            }
            shape = .scalar
            slotLevel = definition
        }
        let presentLevel = chain[0].repetition == .optional ? 1 : 0
        switch kind(of: leafNode) {
        case .success(let kind):
            return .success(ParquetColumn(name: name, shape: shape, kind: kind, physical: leafNode.type ?? .int32,
                                          leafIndex: firstLeaf, path: path, maxDefinition: definition,
                                          maxRepetition: repetition, presentLevel: presentLevel, slotLevel: slotLevel))
        case .failure(let reason):
            return .failure(ParquetError("column '\(name)' has \(reason), which this reader does not support"))
        }
    }

    /// The value kind of a leaf from its physical type and annotations.
    private static func kind(of node: SchemaElement) -> Result<ParquetColumn.Kind, ParquetError> {
        guard let type = node.type else { return .failure(ParquetError("no physical type")) }
        // Converted types: 0 UTF8, 1 MAP, 3 LIST, 4 ENUM, 5 DECIMAL, 6 DATE, 9 TIMESTAMP_MILLIS,
        // 11-14 UINT_8..64, 15-18 INT_8..64, 19 JSON. Logical types: 1 STRING, 4 ENUM, 10 INTEGER, 12 JSON.
        let converted = node.convertedType
        let logical = node.logicalType
        let unsigned = (11...14).contains(converted ?? -1) || (logical == 10 && !node.integerSigned)
        let plainInteger = (converted == nil || (11...18).contains(converted ?? -1)) && (logical == nil || logical == 10)
        switch type {
        case .boolean where converted == nil && logical == nil: return .success(.bool)
        case .int32 where plainInteger: return .success(unsigned ? .uint32 : .int32)
        case .int64 where plainInteger: return .success(unsigned ? .uint64 : .int64)
        case .float where converted == nil && logical == nil: return .success(.float)
        case .double where converted == nil && logical == nil: return .success(.double)
        case .byteArray where converted == 0 || logical == 1 || converted == 4 || logical == 4 || converted == 19 || logical == 12:
            return .success(.string)
        case .byteArray: return .failure(ParquetError("binary values (bytes that are not a string)"))
        default:
            let annotation = logical.map { " with logical type \($0)" } ?? converted.map { " with converted type \($0)" } ?? ""
            return .failure(ParquetError("physical type \(type)\(annotation)"))
        }
    }
}

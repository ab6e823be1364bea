import Foundation
import Hub
import Parquet

// Parquet files into a Dataset: columns as the files hold them, features from the `huggingface`
// key of the schema metadata (where `datasets` stores `{"info": {"features": ...}}`: ClassLabel
// names, sequences), else from the Parquet types. A feature or column this toolkit cannot
// represent is an error naming both.

extension Dataset {
    /// The rows of `files`, one after another (the shards of one split), as `datasets` reads them.
    public static func readParquet(_ files: [URL]) throws -> Dataset {
        guard let firstURL = files.first else { throw DatasetError("readParquet needs at least one file") }
        var names: [String] = []
        var features = Features()
        var columns: [String: [Value]] = [:]
        var rows = 0
        for url in files {
            let file: ParquetFile
            do { file = try ParquetFile(contentsOf: url) } catch let error as ParquetError {
                throw DatasetError(error.description + cacheAdvice(url))
            }
            let declared = try huggingfaceFeatures(file)
            if url == firstURL {
                names = file.columnNames
                for name in names {
                    if let feature = declared?[set: name] { features[set: name] = feature; continue }
                    let column: ParquetColumn
                    do { column = try file.columnInfo(name) } catch let error as ParquetError {
                        throw DatasetError(error.description)
                    }
                    features[set: name] = feature(of: column)
                }
            } else if file.columnNames != names {
                throw DatasetError("\(url.path) has the columns \(file.columnNames), but \(firstURL.path) has \(names); "
                    + "the files of one split must share their columns")
            }
            for name in names {
                let feature = try features[name]
                let values: [ParquetValue]
                do { values = try file.column(name) } catch let error as ParquetError {
                    throw DatasetError("\(error.description) (feature \(feature))" + cacheAdvice(url))
                }
                var converted: [Value] = []
                converted.reserveCapacity(values.count)
                for v in values {
                    let value = Value(v)
                    guard feature.accepts(value) else {
                        throw DatasetError("\(url.path): column '\(name)' holds \(value.kindName) (\(value)) that does not fit "
                            + "its feature \(feature)")
                    }
                    converted.append(value)
                }
                columns[name, default: []] += converted
            }
            rows += file.numRows
        }
        return Dataset(checkedColumns: columns, features: features, numRows: rows)
    }
}

/// A file from the hub cache that cannot be read is damaged there: name the blob and the
/// snapshot link to delete, or every later run reads the same broken copy.
private func cacheAdvice(_ url: URL) -> String {
    Hub.cacheAdvice(for: url).map { ". " + $0 } ?? ""
}

extension Value {
    init(_ v: ParquetValue) {
        switch v {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let n): self = .int(n)
        case .double(let x): self = .float(x)
        case .string(let s): self = .string(s)
        case .list(let items): self = .list(items.map(Value.init))
        }
    }
}

/// The feature `datasets` gives a column without metadata.
private func feature(of column: ParquetColumn) -> Feature {
    let scalar: Feature
    switch column.kind {
    case .bool: scalar = .bool
    case .int32: scalar = .int32
    case .int64: scalar = .int64
    case .uint32: scalar = .value(dtype: "uint32")
    case .uint64: scalar = .value(dtype: "uint64")
    case .float: scalar = .value(dtype: "float32")
    case .double: scalar = .float64
    case .string: scalar = .string
    }
    return column.shape == .list ? .sequence(scalar) : scalar
}

/// The features in the `huggingface` metadata, or nil when the file has none.
private func huggingfaceFeatures(_ file: ParquetFile) throws -> Features? {
    guard let text = file.metadata["huggingface"] else { return nil }
    guard let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
          let info = json["info"] as? [String: Any], let raw = info["features"] as? [String: Any] else {
        throw DatasetError("\(file.name): the 'huggingface' metadata is not {\"info\": {\"features\": ...}}")
    }
    var features = Features()
    // JSON objects lose their order in Foundation: the file's column order is the order.
    for name in file.columnNames {
        guard let spec = raw[name] else { continue }
        features[set: name] = try parseFeature(spec, column: name, file: file.name)
    }
    return features
}

/// One feature of `datasets`' JSON form: Value, ClassLabel, Sequence / List of either.
private func parseFeature(_ spec: Any, column: String, file: String) throws -> Feature {
    if let list = spec as? [Any], list.count == 1 { return .sequence(try parseFeature(list[0], column: column, file: file)) }
    guard let object = spec as? [String: Any], let type = object["_type"] as? String else {
        throw DatasetError("\(file): column '\(column)' has a struct feature (\(spec)); loadDataset reads values, class "
            + "labels and sequences of them")
    }
    switch type {
    case "Value":
        guard let dtype = object["dtype"] as? String else { throw DatasetError("\(file): column '\(column)': a Value without dtype") }
        let known = ["string", "large_string", "int64", "int32", "int16", "int8", "uint8", "uint16", "uint32", "uint64",
                     "float64", "float32", "bool", "null"]
        guard known.contains(dtype) else {
            throw DatasetError("\(file): column '\(column)' has the feature Value(dtype='\(dtype)'), which loadDataset does not read")
        }
        return .value(dtype: dtype == "large_string" ? "string" : dtype)
    case "ClassLabel":
        guard let names = object["names"] as? [String] else {
            throw DatasetError("\(file): column '\(column)': a ClassLabel without names")
        }
        return .classLabel(ClassLabel(names: names))
    case "Sequence", "List", "LargeList":
        guard let inner = object["feature"] else { throw DatasetError("\(file): column '\(column)': a \(type) without feature") }
        if inner is [String: Any], (inner as? [String: Any])?["_type"] == nil {
            throw DatasetError("\(file): column '\(column)' has the feature \(type) of a struct, which loadDataset does not read")
        }
        return .sequence(try parseFeature(inner, column: column, file: file))
    default:
        throw DatasetError("\(file): column '\(column)' has the feature \(type), which loadDataset cannot represent "
            + "(it reads Value, ClassLabel and Sequence/List)")
    }
}

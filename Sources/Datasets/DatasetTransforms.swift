// Operations that make a new dataset: map, filter, select, shuffle, split, column edits.

extension Dataset {
    /// Applies `transform` to every row; the columns it returns are added or replaced
    /// (`dataset.map(fn)`), then `removeColumns` are dropped.
    public func map(removeColumns: [String] = [], _ transform: (Row) throws -> Row) throws -> Dataset {
        try checkColumns(removeColumns)
        var outputs: [Row] = []
        outputs.reserveCapacity(numRows)
        for i in 0..<numRows { outputs.append(try transform(row(i))) }
        var newColumns: [String: [Value]] = [:]
        var order: [String] = []
        for (i, out) in outputs.enumerated() {
            if i == 0 { order = out.keys }
            guard out.keys.count == order.count, Set(out.keys) == Set(order) else {
                throw DatasetError("map returned columns \(out.keys) for row \(i) but \(order) for row 0; "
                    + "return the same columns for every row")
            }
            for (k, v) in out { newColumns[k, default: []].append(v) }
        }
        return try merging(order.map { ($0, newColumns[$0, default: []]) }, rows: numRows, removing: removeColumns)
    }

    /// Applies `transform` to batches of up to `batchSize` rows (`map(fn, batched=True)`): the
    /// batch holds one list per column; the returned lists become columns. A transform may
    /// return more or fewer rows than it got only if every old column is removed or replaced.
    public func map(batched: Bool, batchSize: Int = 1000, removeColumns: [String] = [],
                    _ transform: (Row) throws -> Row) throws -> Dataset {
        guard batched else { return try map(removeColumns: removeColumns, transform) }
        guard batchSize > 0 else { throw DatasetError("batchSize must be positive, got \(batchSize)") }
        try checkColumns(removeColumns)
        var order: [String] = []
        var newColumns: [String: [Value]] = [:]
        var total = 0
        var start = 0
        repeat {
            let range = start..<min(start + batchSize, numRows)
            let out = try transform(batch(range))
            if start == 0 { order = out.keys }
            guard Set(out.keys) == Set(order) else {
                throw DatasetError("map returned columns \(out.keys) for the batch at row \(start) but \(order) "
                    + "for the first batch; return the same columns for every batch")
            }
            var n: Int?
            for (k, v) in out {
                guard case .list(let items) = v else {
                    throw DatasetError("batched map must return a list per column; '\(k)' is \(v.kindName)")
                }
                if let n, n != items.count {
                    throw DatasetError("batched map returned columns of different lengths (\(n) and \(items.count) "
                        + "for '\(k)'); return one value per example in every column")
                }
                n = items.count
                newColumns[k, default: []] += items
            }
            total += n ?? range.count
            start = range.upperBound
        } while start < numRows
        return try merging(order.map { ($0, newColumns[$0, default: []]) }, rows: total, removing: removeColumns)
    }

    /// Old columns (minus `removing` and minus replaced ones) followed by new ones.
    private func merging(_ new: [(String, [Value])], rows: Int, removing: [String]) throws -> Dataset {
        let newNames = Set(new.map(\.0))
        var features = Features()
        var columns: [String: [Value]] = [:]
        for (name, feature) in self.features.entries where !removing.contains(name) || newNames.contains(name) {
            if newNames.contains(name) {
                let values = new.first { $0.0 == name }?.1 ?? []
                if let bad = values.first(where: { !feature.accepts($0) }) {
                    let inferred = Feature.infer(values)
                    // As in Python: ids outside a ClassLabel's range are an error, not a silent retype.
                    if feature.hasClassLabel && (inferred == .int64 || inferred == .sequence(.int64)) {
                        throw DatasetError("map wrote \(bad) into '\(name)', which is \(feature): a class id must be in "
                            + "-1..<\(feature.classLabelCount); write other integers to a new column")
                    }
                    features[set: name] = inferred
                } else {
                    features[set: name] = feature
                }
                columns[name] = values
            } else {
                guard rows == numRows else {
                    throw DatasetError("map changed the number of rows from \(numRows) to \(rows) but kept column "
                        + "'\(name)'; pass removeColumns: dataset.columnNames to drop the old columns")
                }
                features[set: name] = feature
                columns[name] = self.columns[name]
            }
        }
        for (name, values) in new where columns[name] == nil {
            features[set: name] = Feature.infer(values)
            columns[name] = values
        }
        return Dataset(checkedColumns: columns, features: features, numRows: rows)
    }

    private func checkColumns(_ names: [String]) throws {
        for n in names where columns[n] == nil {
            throw DatasetError("cannot remove column '\(n)': the columns are \(columnNames)")
        }
    }

    /// The rows for which `predicate` is true (`dataset.filter(fn)`).
    public func filter(_ predicate: (Row) throws -> Bool) throws -> Dataset {
        var keep: [Int] = []
        for i in 0..<numRows where try predicate(row(i)) { keep.append(i) }
        return gather(keep)
    }

    /// The rows at `indices`, in that order (`dataset.select(range(100))`).
    public func select(_ indices: some Sequence<Int>) throws -> Dataset {
        let idx = Array(indices)
        if let bad = idx.first(where: { $0 < 0 || $0 >= numRows }) {
            throw DatasetError("select: index \(bad) is out of range for \(numRows) rows")
        }
        return gather(idx)
    }

    func gather(_ idx: [Int]) -> Dataset {
        var out: [String: [Value]] = [:]
        for (name, values) in columns { out[name] = idx.map { values[$0] } }
        return Dataset(checkedColumns: out, features: features, numRows: idx.count)
    }

    /// The rows in a random order fixed by `seed` (`dataset.shuffle(seed=42)`): the same order
    /// Python `datasets` gives, since both draw NumPy's `default_rng(seed).permutation(n)`.
    public func shuffle(seed: UInt64) -> Dataset {
        var rng = NumpyGenerator(seed: seed)
        return gather(rng.permutation(numRows))
    }

    /// Splits into `train` and `test` (`train_test_split(test_size=0.1, seed=42)`): a fraction
    /// `testSize` in (0, 1) of the rows, rounded up, goes to `test`. With the same seed the rows
    /// are the ones Python picks. Without a seed, seed 0 is used (Python would draw one at
    /// random; here runs stay reproducible).
    public func trainTestSplit(testSize: Double, seed: UInt64? = nil, shuffle: Bool = true) throws -> DatasetDict {
        guard testSize > 0 && testSize < 1 else {
            throw DatasetError("testSize \(testSize) must be in (0, 1) as a fraction, or an Int number of rows")
        }
        return try trainTestSplit(testCount: Int((testSize * Double(numRows)).rounded(.up)), seed: seed, shuffle: shuffle)
    }

    /// Splits into `train` and `test` with exactly `testCount` rows in `test`.
    public func trainTestSplit(testCount: Int, seed: UInt64? = nil, shuffle: Bool = true) throws -> DatasetDict {
        guard testCount > 0 && testCount < numRows else {
            throw DatasetError("a test split of \(testCount) rows out of \(numRows) would leave a split empty; "
                + "choose between 1 and \(numRows - 1)")
        }
        let nTrain = numRows - testCount
        guard shuffle else {
            // Unshuffled, as in Python: the first rows train, the last rows test.
            return DatasetDict([("train", gather(Array(0..<nTrain))), ("test", gather(Array(nTrain..<numRows)))])
        }
        var rng = NumpyGenerator(seed: seed ?? 0)
        let order = rng.permutation(numRows)
        // As in Python: the first testCount rows of the permutation are the test split.
        let testRows = gather(Array(order[..<testCount]))
        let train = gather(Array(order[testCount...]))
        return DatasetDict([("train", train), ("test", testRows)])
    }

    /// Without the named columns.
    public func removeColumns(_ names: [String]) throws -> Dataset {
        try checkColumns(names)
        var f = features
        var c = columns
        for n in names { f[set: n] = nil; c[n] = nil }
        return Dataset(checkedColumns: c, features: f, numRows: numRows)
    }

    /// With column `old` called `new`.
    public func renameColumn(_ old: String, to new: String) throws -> Dataset {
        try checkColumns([old])
        guard old == new || columns[new] == nil else {
            throw DatasetError("cannot rename '\(old)' to '\(new)': a column '\(new)' exists already")
        }
        var f = Features()
        for (n, feat) in features.entries { f[set: n == old ? new : n] = feat }
        var c = columns
        c[new] = c.removeValue(forKey: old)
        return Dataset(checkedColumns: c, features: f, numRows: numRows)
    }

    /// With a column added (`add_column`); one value per row.
    public func addColumn(_ name: String, _ values: [Value], feature: Feature? = nil) throws -> Dataset {
        guard values.count == numRows else {
            throw DatasetError("column '\(name)' has \(values.count) values for \(numRows) rows")
        }
        guard columns[name] == nil else { throw DatasetError("a column '\(name)' exists already") }
        var f = features
        f[set: name] = feature ?? Feature.infer(values)
        var c = columns
        c[name] = values
        return Dataset(checkedColumns: c, features: f, numRows: numRows)
    }
}

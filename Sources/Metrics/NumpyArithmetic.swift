import PythonStyle
// Arithmetic that reproduces what the Python reference libraries compute, bit for bit.
//
// seqeval and scikit-learn average per-class scores with NumPy, whose float sums are pairwise
// (8 accumulators, blocks of 128), not left to right. For more than 7 classes the two orders
// can differ in the last digit, so we sum the way NumPy does.

/// The sum NumPy's `np.add.reduce` returns for a contiguous float64 array.
func numpySum(_ a: [Double]) -> Double {
    a.withUnsafeBufferPointer { pairwiseSum($0[...]) }
}

private func pairwiseSum(_ a: Slice<UnsafeBufferPointer<Double>>) -> Double {
    let n = a.count
    let base = a.startIndex
    if n < 8 {
        var res = -0.0
        for i in 0..<n { res += a[base + i] }
        return res
    }
    if n <= 128 {
        var r = (0..<8).map { a[base + $0] }
        var i = 8
        while i < n - (n % 8) {
            for j in 0..<8 { r[j] += a[base + i + j] }
            i += 8
        }
        var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n { res += a[base + i]; i += 1 }
        return res
    }
    var n2 = n / 2
    n2 -= n2 % 8
    return pairwiseSum(a[base..<(base + n2)]) + pairwiseSum(a[(base + n2)..<(base + n)])
}

/// `np.average(values)`: the pairwise sum divided by the count.
func numpyMean(_ values: [Double]) -> Double {
    numpySum(values) / Double(values.count)
}

/// `np.average(values, weights: weights)`: sum(values * weights) / sum(weights).
func numpyWeightedMean(_ values: [Double], weights: [Double]) -> Double {
    numpySum(zip(values, weights).map { $0 * $1 }) / numpySum(weights)
}


import Foundation

// Shape letters used in every doc comment of the numeric modules:
//   B batch size, T tokens per sequence, C channels (hidden size), H attention heads,
//   D = C / H channels per head, I intermediate (FFN) size, V vocabulary size,
//   L number of labels, N = B * T rows of a token matrix.
// Every multi-dimensional buffer is row-major and contiguous: a [B, T, C] activation is also the
// [N, C] matrix the GEMMs work on, which is why layers never reshape or copy.

/// Errors a user can cause (bad shapes, bad ids); each message says what was wrong and what to do.
public struct TensorError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}

/// A contiguous row-major Float32 buffer with a shape. A class so parameters, their gradients and
/// preallocated activation buffers are shared by reference and never copied by accident.
public final class Tensor: @unchecked Sendable, CustomStringConvertible {
    /// The size of each dimension, outermost first (e.g. [B, T, C]); `[]` for a scalar.
    public let shape: [Int]
    /// Number of elements: the product of `shape` (1 for a scalar).
    public let count: Int
    /// The storage; owned by this tensor and freed on deinit, unless the tensor is a view into
    /// another one's (`init(viewOf:offset:shape:)`). Kernels read and write it directly.
    public let data: UnsafeMutablePointer<Float>
    /// The tensor whose storage a view shares (kept alive by the view); nil for an owner.
    private let base: Tensor?

    /// A zero-filled tensor of `shape`.
    public init(shape: [Int]) {
        self.shape = shape
        self.count = shape.reduce(1, *)
        self.data = .allocate(capacity: max(count, 1))
        data.initialize(repeating: 0, count: max(count, 1))
        base = nil
    }

    /// A tensor of `shape` sharing `base`'s storage from element `offset`: writes through either
    /// are seen by both. BERT's query, key and value weights are views into one [3C, C] matrix,
    /// so the three projections run as one product. Throws when the view does not fit.
    public init(viewOf base: Tensor, offset: Int, shape: [Int]) throws {
        let n = shape.reduce(1, *)
        guard offset >= 0, n >= 0, offset + n <= base.count else {
            throw TensorError("a view of shape \(shape) at offset \(offset) does not fit in a tensor of \(base.count) elements")
        }
        self.shape = shape
        self.count = n
        self.data = base.data + offset
        self.base = base
    }

    /// A tensor of `shape` holding `values` (row-major). Throws when the counts differ.
    public convenience init(shape: [Int], values: [Float]) throws {
        let n = shape.reduce(1, *)
        guard values.count == n else {
            throw TensorError("shape \(shape) needs \(n) values but \(values.count) were given")
        }
        self.init(shape: shape)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { data.update(from: base, count: n) }
        }
    }

    deinit { if base == nil { data.deallocate() } }

    /// The values as an array (a copy), row-major.
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// The element at a multi-index, e.g. `t[0, 3, 5]` for a [B, T, C] tensor (for tests and printing).
    public subscript(_ index: Int...) -> Float {
        get { data[offset(index)] }
        set { data[offset(index)] = newValue }
    }

    /// Like `Array`, a bad index traps with a message naming it. The check is written out
    /// rather than a `precondition`, which `-Ounchecked` (used for the kernels) would remove,
    /// turning a wrong index into a silent wrong value.
    private func offset(_ index: [Int]) -> Int {
        if index.count != shape.count { indexTrap("index \(index) has \(index.count) axes but the tensor has shape \(shape)") }
        var o = 0
        for (i, n) in zip(index, shape) {
            if i < 0 || i >= n { indexTrap("index \(index) is out of bounds for shape \(shape)") }
            o = o * n + i
        }
        return o
    }

    /// Sets every element to zero (gradients before accumulation).
    public func zero() { data.update(repeating: 0, count: count) }

    /// Copies the values of `other`, which must have the same number of elements.
    public func copy(from other: Tensor) throws {
        guard other.count == count else {
            throw TensorError("cannot copy a tensor of shape \(other.shape) into one of shape \(shape)")
        }
        data.update(from: other.data, count: count)
    }

    public var description: String {
        let shown = (0..<min(count, 6)).map { String(format: "%.4f", data[$0]) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(count > 6 ? ", ..." : "")])"
    }

    /// Largest absolute element-wise difference to `other` (tests and parity reports).
    public func maxAbsDiff(_ other: Tensor) -> Float {
        var m: Float = 0
        for i in 0..<min(count, other.count) { m = max(m, abs(data[i] - other.data[i])) }
        return m
    }
}

private func indexTrap(_ message: String) -> Never {
    fatalError("Tensor: " + message)
}

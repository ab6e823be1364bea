@_implementationOnly import CDNNL
import Foundation

/// Where the elements of a 4-D [B, H, rows, cols] operand of a batched product lie: the stride
/// (in elements) of each dimension. A transposed operand is its buffer read with the row and
/// column strides swapped; a head's column block of a [B, T, C] matrix is [T·C, D, C, 1].
public struct BatchedLayout: Hashable, Sendable {
    /// Strides of the batch, head, row and column dimensions.
    public var batch, head, row, col: Int

    /// A layout with these strides.
    public init(batch: Int, head: Int, row: Int, col: Int) {
        self.batch = batch
        self.head = head
        self.row = row
        self.col = col
    }

    /// [B, H, rows, cols] stored densely in that order.
    public static func dense(heads: Int, rows: Int, cols: Int) -> BatchedLayout {
        BatchedLayout(batch: heads * rows * cols, head: rows * cols, row: cols, col: 1)
    }

    /// The transpose of a dense [B, H, cols, rows] buffer, read as [B, H, rows, cols].
    public static func denseTransposed(heads: Int, rows: Int, cols: Int) -> BatchedLayout {
        BatchedLayout(batch: heads * rows * cols, head: rows * cols, row: 1, col: rows)
    }
}

/// What identifies one batched oneDNN matmul primitive: the batch and head counts, the matrix
/// shape, each operand's strides and the scale on the product. Dynamic padding changes T from
/// batch to batch, so a run settles on a few keys per sequence length.
struct BF16BatchedGemmKey: Hashable {
    let batch, heads, m, n, k: Int
    let a, b, c: BatchedLayout
    let alphaBits: UInt32
}

/// Above this many cached batched primitives the cache starts again (as for `BF16GemmKey`).
private let maxCachedBatchedPrimitives = 1024

extension BF16Engine {
    /// The batched primitive for `key`, created (and cached) on first use. Call with `lock` held.
    func batchedPrimitive(_ key: BF16BatchedGemmKey) throws -> BF16GemmPrimitive {
        if let p = batchedPrimitives[key] { return p }
        func md(_ rows: Int, _ cols: Int, _ layout: BatchedLayout, _ type: dnnl_data_type_t) throws -> dnnl_memory_desc_t {
            var d = dnnl_memory_desc_t()
            var dims: [dnnl_dim_t] = [key.batch, key.heads, rows, cols].map { dnnl_dim_t($0) }
            var strides: [dnnl_dim_t] = [layout.batch, layout.head, layout.row, layout.col].map { dnnl_dim_t($0) }
            guard cdnnl_memory_desc_init_by_strides(&d, 4, &dims, type, &strides) == dnnl_success else {
                throw BF16Error("oneDNN rejected a [\(key.batch), \(key.heads), \(rows), \(cols)] operand (strides \(layout))")
            }
            return d
        }
        var src = try md(key.m, key.k, key.a, dnnl_bf16)
        var wei = try md(key.k, key.n, key.b, dnnl_bf16)
        var dst = try md(key.m, key.n, key.c, dnnl_f32)
        var desc = dnnl_matmul_desc_t()
        guard cdnnl_matmul_desc_init(&desc, &src, &wei, nil, &dst) == dnnl_success else {
            throw BF16Error("oneDNN rejected a batched bf16 matmul of \(key)")
        }
        var attr: dnnl_primitive_attr_t?
        cdnnl_primitive_attr_create(&attr)
        defer { cdnnl_primitive_attr_destroy(attr) }
        var alpha = Float(bitPattern: key.alphaBits)
        if alpha != 1 {
            // C = α · A·B: one common output scale (mask 0), applied to the fp32 sums.
            guard cdnnl_primitive_attr_set_output_scales(attr, 1, 0, &alpha) == dnnl_success else {
                throw BF16Error("oneDNN rejected the output scale \(alpha) of a batched bf16 matmul")
            }
        }
        var pd: dnnl_primitive_desc_t?
        guard cdnnl_primitive_desc_create(&pd, &desc, attr, engine, nil) == dnnl_success, let pd else {
            throw BF16Error("oneDNN has no batched bf16 matmul implementation for \(key.batch)×\(key.heads) × "
                + "\(key.m)×\(key.k) · \(key.k)×\(key.n) on this CPU")
        }
        defer { cdnnl_primitive_desc_destroy(pd) }
        var info: UnsafePointer<CChar>?
        cdnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &info)
        let implementation = info.map { String(cString: $0) } ?? "unknown"
        var prim: dnnl_primitive_t?
        guard cdnnl_primitive_create(&prim, pd) == dnnl_success, let prim else {
            throw BF16Error("oneDNN could not create the batched bf16 matmul \(implementation) for \(key)")
        }
        if batchedPrimitives.count >= maxCachedBatchedPrimitives {
            for p in batchedPrimitives.values { cdnnl_primitive_destroy(p.primitive) }
            batchedPrimitives.removeAll()
        }
        // No bias operand: its descriptor is unused.
        let made = BF16GemmPrimitive(primitive: prim, src: src, weights: wei, dst: dst, bias: dnnl_memory_desc_t(),
                                     implementation: implementation)
        batchedPrimitives[key] = made
        noteImplementation(implementation)
        return made
    }
}

/// For every (b, h) of `batch` × `heads`: C[b, h] = α · A[b, h] · B[b, h], with A [M, K] and
/// B [K, N] in bf16 (`UInt16` bit patterns) and C [M, N] in fp32, each laid out by its
/// `BatchedLayout`: one oneDNN matmul over all pairs, fp32 accumulation, on `Threads.count`
/// threads, deterministic for a fixed thread count. C is overwritten. A failure is recorded on
/// the engine (`takeError()`), C left unchanged.
///
/// oneDNN 2.6 takes its fast brgemm kernels only when the bf16 operands are dense per matrix
/// (rows or columns contiguous, matrices packed: `.dense`, `.denseTransposed`); bf16 operands
/// with other strides fall back to a slower gemm. The fp32 C may have any strides.
public func bf16BatchedGemm(_ engine: BF16Engine, batch: Int, heads: Int, m: Int, n: Int, k: Int,
                            _ a: UnsafePointer<UInt16>, _ aLayout: BatchedLayout,
                            _ b: UnsafePointer<UInt16>, _ bLayout: BatchedLayout, alpha: Float = 1,
                            _ c: UnsafeMutablePointer<Float>, _ cLayout: BatchedLayout) {
    guard batch > 0, heads > 0, m > 0, n > 0 else { return }
    let key = BF16BatchedGemmKey(batch: batch, heads: heads, m: m, n: n, k: k, a: aLayout, b: bLayout, c: cLayout,
                                 alphaBits: alpha.bitPattern)
    engine.lock.lock()
    defer { engine.lock.unlock() }
    let p: BF16GemmPrimitive
    do { p = try engine.batchedPrimitive(key) } catch {
        engine.failLocked(error as? BF16Error ?? BF16Error("\(error)"))
        return
    }
    let ran = engine.executeLocked(p.primitive, [(DNNL_ARG_SRC, p.src, UnsafeRawPointer(a)),
                                                 (DNNL_ARG_WEIGHTS, p.weights, UnsafeRawPointer(b)),
                                                 (DNNL_ARG_DST, p.dst, UnsafeRawPointer(c))])
    if !ran { engine.failLocked(BF16Error("oneDNN failed to run the batched bf16 matmul \(p.implementation) for \(key)")) }
}

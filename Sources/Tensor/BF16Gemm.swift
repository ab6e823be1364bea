@_implementationOnly import CDNNL
import Foundation

/// What identifies one oneDNN matmul primitive: the shape, the operand layouts (row-major leading
/// dimensions, transposes), whether a bias row is added and whether the product accumulates onto
/// C. Dynamic padding changes M (tokens) from batch to batch, so a run settles on a few dozen keys.
struct BF16GemmKey: Hashable {
    let m, n, k: Int
    let transA, transB: Bool
    let lda, ldb, ldc: Int
    let bias, accumulate: Bool
}

/// A created primitive and its descriptor (for `impl_info`); never destroyed, like the engine.
final class BF16GemmPrimitive {
    let primitive: dnnl_primitive_t
    let src, weights, dst, bias: dnnl_memory_desc_t
    let implementation: String

    init(primitive: dnnl_primitive_t, src: dnnl_memory_desc_t, weights: dnnl_memory_desc_t,
         dst: dnnl_memory_desc_t, bias: dnnl_memory_desc_t, implementation: String) {
        self.primitive = primitive
        self.src = src
        self.weights = weights
        self.dst = dst
        self.bias = bias
        self.implementation = implementation
    }
}

/// Above this many cached primitives the cache starts again (a pathological stream of shapes
/// must not grow it without bound; oneDNN's own primitive cache still saves most recompiles).
private let maxCachedPrimitives = 4096

extension BF16Engine {
    /// The primitive for `key`, created (and cached) on first use. Call with `lock` held or
    /// before the engine is shared.
    func primitive(_ key: BF16GemmKey) throws -> BF16GemmPrimitive {
        if let p = primitives[key] { return p }
        func md(_ rows: Int, _ cols: Int, _ transposed: Bool, _ ld: Int, _ type: dnnl_data_type_t) throws -> dnnl_memory_desc_t {
            // Row-major [rows, cols]; a transposed operand is the [cols, rows] row-major buffer read by columns.
            var d = dnnl_memory_desc_t()
            var dims: [dnnl_dim_t] = [dnnl_dim_t(rows), dnnl_dim_t(cols)]
            var strides: [dnnl_dim_t] = transposed ? [1, dnnl_dim_t(ld)] : [dnnl_dim_t(ld), 1]
            guard cdnnl_memory_desc_init_by_strides(&d, 2, &dims, type, &strides) == dnnl_success else {
                throw BF16Error("oneDNN rejected a [\(rows), \(cols)] operand (leading dimension \(ld))")
            }
            return d
        }
        var src = try md(key.m, key.k, key.transA, key.lda, dnnl_bf16)
        var wei = try md(key.k, key.n, key.transB, key.ldb, dnnl_bf16)
        var dst = try md(key.m, key.n, false, key.ldc, dnnl_f32)
        var bias = try md(1, key.n, false, key.n, dnnl_f32)
        var desc = dnnl_matmul_desc_t()
        let status = key.bias ? cdnnl_matmul_desc_init(&desc, &src, &wei, &bias, &dst)
                              : cdnnl_matmul_desc_init(&desc, &src, &wei, nil, &dst)
        guard status == dnnl_success else { throw BF16Error("oneDNN rejected a bf16 matmul of \(key)") }
        var attr: dnnl_primitive_attr_t?
        cdnnl_primitive_attr_create(&attr)
        defer { cdnnl_primitive_attr_destroy(attr) }
        if key.accumulate {
            // C += A·B: the "sum" post-op adds the product onto what C holds.
            var ops: dnnl_post_ops_t?
            cdnnl_post_ops_create(&ops)
            cdnnl_post_ops_append_sum(ops, 1)
            cdnnl_primitive_attr_set_post_ops(attr, ops)
            cdnnl_post_ops_destroy(ops)
        }
        var pd: dnnl_primitive_desc_t?
        guard cdnnl_primitive_desc_create(&pd, &desc, attr, engine, nil) == dnnl_success, let pd else {
            throw BF16Error("oneDNN has no bf16 matmul implementation for \(key.m)×\(key.k) · \(key.k)×\(key.n) on this CPU")
        }
        defer { cdnnl_primitive_desc_destroy(pd) }
        var info: UnsafePointer<CChar>?
        cdnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &info)
        let implementation = info.map { String(cString: $0) } ?? "unknown"
        var prim: dnnl_primitive_t?
        guard cdnnl_primitive_create(&prim, pd) == dnnl_success, let prim else {
            throw BF16Error("oneDNN could not create the bf16 matmul \(implementation) for \(key)")
        }
        if primitives.count >= maxCachedPrimitives {
            for p in primitives.values { cdnnl_primitive_destroy(p.primitive) }
            primitives.removeAll()
        }
        let made = BF16GemmPrimitive(primitive: prim, src: src, weights: wei, dst: dst, bias: bias,
                                     implementation: implementation)
        primitives[key] = made
        noteImplementation(implementation)
        return made
    }
}

/// C[M, N] (+)= op(A)[M, K] · op(B)[K, N] (+ bias[N]) with A and B in bf16 (`UInt16` bit patterns,
/// row-major, see `convertToBF16`), accumulated and written in fp32 by oneDNN on `Threads.count`
/// threads. `accumulate` adds onto C (beta = 1) instead of overwriting it. Deterministic for a
/// fixed thread count. A failure is recorded on the engine (`takeError()`), C left unchanged.
public func bf16Gemm(_ engine: BF16Engine, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                     _ a: UnsafePointer<UInt16>, lda: Int, _ b: UnsafePointer<UInt16>, ldb: Int,
                     bias: UnsafePointer<Float>? = nil, accumulate: Bool = false,
                     _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 0, n > 0 else { return }
    let key = BF16GemmKey(m: m, n: n, k: k, transA: transA, transB: transB, lda: lda, ldb: ldb, ldc: ldc,
                          bias: bias != nil, accumulate: accumulate)
    engine.lock.lock()
    defer { engine.lock.unlock() }
    let p: BF16GemmPrimitive
    do { p = try engine.primitive(key) } catch {
        engine.failLocked(error as? BF16Error ?? BF16Error("\(error)"))
        return
    }
    var arguments: [(arg: Int32, desc: dnnl_memory_desc_t, pointer: UnsafeRawPointer)] = [
        (DNNL_ARG_SRC, p.src, UnsafeRawPointer(a)), (DNNL_ARG_WEIGHTS, p.weights, UnsafeRawPointer(b)),
        (DNNL_ARG_DST, p.dst, UnsafeRawPointer(c)),
    ]
    if let bias { arguments.append((DNNL_ARG_BIAS, p.bias, UnsafeRawPointer(bias))) }
    if !engine.executeLocked(p.primitive, arguments) {
        engine.failLocked(BF16Error("oneDNN failed to run the bf16 matmul \(p.implementation) for \(key)"))
    }
}

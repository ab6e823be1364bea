@_implementationOnly import CDNNL
import Foundation

// The int8 matrix product of dynamic quantisation, on oneDNN's int8 matmul (with AVX512-VNNI:
// `brg:avx512_core_vnni`, VPDPBUSD: u8 × s8 products summed in int32).
//
// oneDNN 2.6's brgemm kernel refuses run-time output scales (it falls back to the slow
// `gemm:jit`), and its bias is added before output scales. Both per-call values therefore go in
// as two binary post-ops on [1, N] fp32 rows, which oneDNN takes at execution time:
//   C[m, n] = acc[m, n] · scale[n] + shift[n],   acc = Σₖ A[m, k] · B[k, n] in int32.

/// What identifies one int8 matmul primitive: M (tokens: it changes with dynamic padding), N, K
/// and C's leading dimension. A is row-major [M, K] u8; B is the weight [N, K] s8 read as [K, N].
struct Int8GemmKey: Hashable {
    let m, n, k: Int
    let ldc: Int
}

/// A created int8 primitive with its operand descriptors; never destroyed, like the engine.
final class Int8GemmPrimitive {
    let primitive: dnnl_primitive_t
    let src, weights, dst, row: dnnl_memory_desc_t
    let implementation: String

    init(primitive: dnnl_primitive_t, src: dnnl_memory_desc_t, weights: dnnl_memory_desc_t,
         dst: dnnl_memory_desc_t, row: dnnl_memory_desc_t, implementation: String) {
        self.primitive = primitive
        self.src = src
        self.weights = weights
        self.dst = dst
        self.row = row
        self.implementation = implementation
    }
}

/// Above this many cached primitives the cache starts again (as for the bf16 products).
private let maxCachedInt8Primitives = 4096

extension BF16Engine {
    /// The int8 primitive for `key`, created (and cached) on first use. Call with `lock` held.
    func int8Primitive(_ key: Int8GemmKey) throws -> Int8GemmPrimitive {
        if let p = int8Primitives[key] { return p }
        func md(_ dims: [Int], _ strides: [Int], _ type: dnnl_data_type_t) throws -> dnnl_memory_desc_t {
            var d = dnnl_memory_desc_t()
            var dims = dims.map { dnnl_dim_t($0) }, strides = strides.map { dnnl_dim_t($0) }
            guard cdnnl_memory_desc_init_by_strides(&d, 2, &dims, type, &strides) == dnnl_success else {
                throw BF16Error("oneDNN rejected an int8 operand \(dims) (strides \(strides))")
            }
            return d
        }
        var src = try md([key.m, key.k], [key.k, 1], dnnl_u8)
        // The weight [N, K] row-major is B = weightᵀ [K, N] with strides (1, K).
        var wei = try md([key.k, key.n], [1, key.k], dnnl_s8)
        var dst = try md([key.m, key.n], [key.ldc, 1], dnnl_f32)
        var row = try md([1, key.n], [key.n, 1], dnnl_f32)
        var desc = dnnl_matmul_desc_t()
        guard cdnnl_matmul_desc_init(&desc, &src, &wei, nil, &dst) == dnnl_success else {
            throw BF16Error("oneDNN rejected an int8 matmul of \(key)")
        }
        var attr: dnnl_primitive_attr_t?
        cdnnl_primitive_attr_create(&attr)
        defer { cdnnl_primitive_attr_destroy(attr) }
        var ops: dnnl_post_ops_t?
        cdnnl_post_ops_create(&ops)
        cdnnl_post_ops_append_binary(ops, dnnl_binary_mul, &row)
        cdnnl_post_ops_append_binary(ops, dnnl_binary_add, &row)
        cdnnl_primitive_attr_set_post_ops(attr, ops)
        cdnnl_post_ops_destroy(ops)
        var pd: dnnl_primitive_desc_t?
        guard cdnnl_primitive_desc_create(&pd, &desc, attr, engine, nil) == dnnl_success, let pd else {
            throw BF16Error("oneDNN has no int8 matmul for \(key.m)×\(key.k) · \(key.k)×\(key.n) on this CPU")
        }
        defer { cdnnl_primitive_desc_destroy(pd) }
        var info: UnsafePointer<CChar>?
        cdnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &info)
        let implementation = info.map { String(cString: $0) } ?? "unknown"
        var prim: dnnl_primitive_t?
        guard cdnnl_primitive_create(&prim, pd) == dnnl_success, let prim else {
            throw BF16Error("oneDNN could not create the int8 matmul \(implementation) for \(key)")
        }
        if int8Primitives.count >= maxCachedInt8Primitives {
            for p in int8Primitives.values { cdnnl_primitive_destroy(p.primitive) }
            int8Primitives.removeAll()
        }
        let made = Int8GemmPrimitive(primitive: prim, src: src, weights: wei, dst: dst, row: row,
                                     implementation: implementation)
        int8Primitives[key] = made
        noteImplementation(implementation)
        return made
    }
}

/// C[M, N] = (A[M, K] · weight[N, K]ᵀ as int32) · scale[N] + shift[N], A u8 row-major, weight s8
/// row-major, C fp32 with leading dimension `ldc`, on `Threads.count` threads. Deterministic
/// (integer sums). A failure is recorded on the engine (`takeError()`), C left unchanged.
public func int8Gemm(_ engine: BF16Engine, m: Int, n: Int, k: Int, _ a: UnsafePointer<UInt8>,
                     _ weight: UnsafePointer<Int8>, scale: UnsafePointer<Float>, shift: UnsafePointer<Float>,
                     _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 0, n > 0 else { return }
    let key = Int8GemmKey(m: m, n: n, k: k, ldc: ldc)
    engine.lock.lock()
    defer { engine.lock.unlock() }
    let p: Int8GemmPrimitive
    do { p = try engine.int8Primitive(key) } catch {
        engine.failLocked(error as? BF16Error ?? BF16Error("\(error)"))
        return
    }
    // DNNL_ARG_ATTR_MULTIPLE_POST_OP(i) | DNNL_ARG_SRC_1 (a function-like macro Swift cannot import).
    func postOpArg(_ index: Int32) -> Int32 { (DNNL_ARG_ATTR_MULTIPLE_POST_OP_BASE * (index + 1)) | DNNL_ARG_SRC_1 }
    let ran = engine.executeLocked(p.primitive, [
        (DNNL_ARG_SRC, p.src, UnsafeRawPointer(a)), (DNNL_ARG_WEIGHTS, p.weights, UnsafeRawPointer(weight)),
        (DNNL_ARG_DST, p.dst, UnsafeRawPointer(c)), (postOpArg(0), p.row, UnsafeRawPointer(scale)),
        (postOpArg(1), p.row, UnsafeRawPointer(shift)),
    ])
    if !ran { engine.failLocked(BF16Error("oneDNN failed to run the int8 matmul \(p.implementation) for \(key)")) }
}

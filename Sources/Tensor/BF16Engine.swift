@_implementationOnly import CDNNL
import Foundation

/// A failure of the bf16 engine (oneDNN missing a bf16 implementation on this CPU, a primitive it
/// could not create); the message says what to do (usually: run without bf16).
public struct BF16Error: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}

/// The oneDNN CPU engine and stream that run the bf16 matrix products (mixed precision: bf16
/// inputs, fp32 accumulation and output, as `torch.autocast("cpu", dtype=torch.bfloat16)` does).
///
/// One per process, created on first use by `BF16Engine.shared()`, which also checks that oneDNN
/// can build a bf16 matmul on this CPU (oneDNN 2.6 needs AVX-512 at least; without AVX512-BF16 or
/// AMX it emulates the bf16 dot products and says so once on stderr). Executions are serialised
/// by a lock: oneDNN's library-managed scratchpad is not safe for concurrent use of one primitive,
/// and the products already use every thread.
public final class BF16Engine: @unchecked Sendable {
    let engine: dnnl_engine_t
    let stream: dnnl_stream_t
    let lock = NSLock()
    /// Primitives by shape and layout (see BF16Gemm.swift); creating one costs a JIT compile.
    var primitives: [BF16GemmKey: BF16GemmPrimitive] = [:]
    /// The batched products' primitives (BF16BatchedGemm.swift: attention's QKᵀ, P·V and their gradients).
    var batchedPrimitives: [BF16BatchedGemmKey: BF16GemmPrimitive] = [:]
    /// The int8 products' primitives (Int8Gemm.swift), on the same engine and lock.
    var int8Primitives: [Int8GemmKey: Int8GemmPrimitive] = [:]
    private var implementations: [String] = []
    /// The first error of a product that could not run (checked and thrown by the model).
    private var pendingError: BF16Error?

    /// Whether this CPU has native bf16 dot products (AVX512-BF16 or AMX-BF16), from /proc/cpuinfo.
    public static let hasNativeBF16: Bool = {
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
        let flags = Set(line.split(separator: " ").map(String.init))
        return flags.contains("avx512_bf16") || flags.contains("amx_bf16")
    }()

    private init(engine: dnnl_engine_t, stream: dnnl_stream_t) {
        self.engine = engine
        self.stream = stream
    }

    nonisolated(unsafe) private static var instance: BF16Engine?
    private static let creation = NSLock()

    /// The engine, created and checked on first use. Throws when oneDNN has no bf16 matmul for
    /// this CPU, with what to do instead.
    public static func shared() throws -> BF16Engine {
        creation.lock()
        defer { creation.unlock() }
        if let instance { return instance }
        try load()
        var engine: dnnl_engine_t?
        guard cdnnl_engine_create(&engine, dnnl_cpu, 0) == dnnl_success, let engine else {
            throw BF16Error("oneDNN could not create its CPU engine: train and evaluate without bf16")
        }
        var stream: dnnl_stream_t?
        guard cdnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue) == dnnl_success, let stream else {
            cdnnl_engine_destroy(engine)
            throw BF16Error("oneDNN could not create a CPU stream; train without bf16")
        }
        let made = BF16Engine(engine: engine, stream: stream)
        // A probe product: oneDNN refuses bf16 matmuls on CPUs without AVX-512.
        do {
            _ = try made.primitive(BF16GemmKey(m: 16, n: 16, k: 16, transA: false, transB: true, lda: 16, ldb: 16,
                                               ldc: 16, bias: true, accumulate: false))
        } catch {
            throw BF16Error("oneDNN has no bf16 matrix product for this CPU (it needs AVX-512; AVX512-BF16 or AMX "
                + "for full speed): train and evaluate without bf16 (\(error))")
        }
        if !hasNativeBF16 {
            FileHandle.standardError.write(Data(("bf16: this CPU has no AVX512-BF16 or AMX instructions; oneDNN "
                + "emulates the bf16 products, which is slower than fp32 here. Results are still correct.\n").utf8))
        }
        instance = made
        return made
    }

    /// The oneDNN implementations that ran bf16 products so far (`impl_info`, e.g.
    /// "brg:avx512_core_bf16"), in order of first use.
    public var implementationsUsed: [String] {
        lock.lock()
        defer { lock.unlock() }
        return implementations
    }

    func noteImplementation(_ name: String) {
        if !implementations.contains(name) { implementations.append(name) }
    }

    /// Records a product that could not run (with `lock` held); `takeError()` hands it to the
    /// caller that can throw.
    func failLocked(_ error: BF16Error) {
        if pendingError == nil { pendingError = error }
    }

    /// Runs `primitive` on the stream with each argument's memory wrapped around its pointer, on
    /// `Threads.count` threads (oneDNN on OpenMP takes the calling thread's OpenMP thread count),
    /// and waits for it. Call with `lock` held. False when oneDNN could not wrap a pointer or run
    /// the primitive; the caller records the failure with what it was computing.
    func executeLocked(_ primitive: dnnl_primitive_t?,
                       _ arguments: [(arg: Int32, desc: dnnl_memory_desc_t, pointer: UnsafeRawPointer)]) -> Bool {
        cdnnl_set_num_threads(Int32(Threads.kernelOverride ?? Threads.count))
        var memories: [dnnl_memory_t?] = []
        defer { for mem in memories { cdnnl_memory_destroy(mem) } }
        var args: [dnnl_exec_arg_t] = arguments.map { argument in
            var d = argument.desc, mem: dnnl_memory_t?
            cdnnl_memory_create(&mem, &d, engine, UnsafeMutableRawPointer(mutating: argument.pointer))
            memories.append(mem)
            return dnnl_exec_arg_t(arg: argument.arg, memory: mem)
        }
        return memories.allSatisfy { $0 != nil }
            && cdnnl_primitive_execute(primitive, stream, Int32(args.count), &args) == dnnl_success
            && cdnnl_stream_wait(stream) == dnnl_success
    }

    /// Records a failure from outside a product (takes `lock`).
    func fail(_ error: BF16Error) {
        lock.lock()
        failLocked(error)
        lock.unlock()
    }

    /// The first recorded product failure since the last call, if any (then cleared).
    public func takeError() -> BF16Error? {
        lock.lock()
        defer { pendingError = nil; lock.unlock() }
        return pendingError
    }

    /// Loads oneDNN (libdnnl.so.2) if this process has not yet. The toolkit does not link it, so a
    /// program that never computes in bf16 starts and runs without it installed.
    public static func load() throws {
        var reason = [CChar](repeating: 0, count: 512)
        guard cdnnl_load(&reason, reason.count) == 0 else {
            let why = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw BF16Error("bf16 needs oneDNN, which could not be loaded (\(why)): install it with "
                + "`apt-get install libdnnl2` (Scripts/setup.sh does), or train and evaluate without bf16")
        }
    }

    /// oneDNN's version, e.g. "2.6.3"; "not installed" when it cannot be loaded.
    public static var version: String {
        guard (try? load()) != nil else { return "not installed" }
        guard let v = cdnnl_version() else { return "unknown" }
        return "\(v.pointee.major).\(v.pointee.minor).\(v.pointee.patch)"
    }
}

// Implementation-only: programs compiled against the toolkit (the course's chapter programs)
// need neither CMPI's module map nor Open MPI: libmpi is loaded (dlopen) only when a program runs
// under a launcher. (`internal import` would still make clients load CMPI, since the module is
// built without library evolution.) Safe because no CMPI type appears in any declaration or
// stored property here: the process group keeps plain Ints; CMPI takes and returns C ints and
// pointers. The toolkit's other C imports (OpenBLAS, snappy, zstd, oneDNN) follow the same rule.
@_implementationOnly import CMPI
import Foundation

/// A failure of the process group: an MPI call that returned an error, or arguments a
/// collective cannot take. The message names the rank and what to do.
public struct DistributedError: Error, CustomStringConvertible, Sendable {
    public let description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}

/// The processes of one data-parallel job (Python `torch.distributed`'s default group, as
/// Accelerate's `PartialState` sees it), over MPI's world communicator.
///
///     let group = ProcessGroup.world          // rank 0 of 1 without mpirun
///     print(group.rank, group.size)           // under `mpirun -n 2`: 0 2 and 1 2
///
/// A program started by `mpirun` (Open MPI sets `OMPI_COMM_WORLD_SIZE`; other launchers
/// `PMIX_RANK` or `PMI_RANK`) initialises MPI on first use of `world` and finalises it when the
/// program exits. A program started any other way never touches MPI: it is rank 0 of a group of
/// one, and every collective returns its input, so the same code runs with and without mpirun.
///
/// Collectives must be called by every rank in the same order with matching sizes (MPI's rule);
/// they run on the thread that first used `world` (MPI is initialised FUNNELED).
public final class ProcessGroup: @unchecked Sendable {
    /// This process's index in the job, 0..<size (Python `process_index`).
    public let rank: Int
    /// The number of processes (Python `num_processes`, `world_size`).
    public let size: Int
    /// This process's index among the ranks on its machine (Python `local_process_index`).
    public let localRank: Int
    /// The number of ranks on this machine.
    public let localSize: Int
    /// Whether MPI was initialised (the program runs under a launcher), even with one rank.
    public let usesMPI: Bool

    /// The job's group: MPI's world under a launcher, else a group of one. Throws (on every use)
    /// only if MPI failed to start.
    public static var world: ProcessGroup {
        get throws { try worldResult.get() }
    }

    private static let worldResult: Result<ProcessGroup, any Error> = Result { try ProcessGroup(launched: launchedByMPI) }

    /// Whether the environment says this process was started by an MPI launcher.
    public static var launchedByMPI: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["OMPI_COMM_WORLD_SIZE"] != nil || env["PMIX_RANK"] != nil || env["PMI_RANK"] != nil
    }

    private init(launched: Bool) throws {
        guard launched else {
            (rank, size, localRank, localSize, usesMPI) = (0, 1, 0, 1, false)
            return
        }
        var reason = [CChar](repeating: 0, count: 512)
        guard cmpi_load(&reason, reason.count) == 0 else {
            let why = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw DistributedError("this program was started by an MPI launcher, but Open MPI's library could not be "
                + "loaded (\(why)): install it with `apt-get install libopenmpi3 openmpi-bin` (Scripts/setup.sh does), "
                + "or run the program without mpirun")
        }
        let rc = cmpi_init()
        guard rc == 0 else { throw DistributedError("MPI_Init_thread failed: \(ProcessGroup.message(rc)). Run the program "
            + "under mpirun (Open MPI, apt: openmpi-bin), e.g. `mpirun -n 2 program`") }
        var r: Int32 = 0, s: Int32 = 0, lr: Int32 = 0, ls: Int32 = 0
        try ProcessGroup.check(cmpi_rank(&r), "MPI_Comm_rank", rank: -1)
        try ProcessGroup.check(cmpi_size(&s), "MPI_Comm_size", rank: Int(r))
        try ProcessGroup.check(cmpi_local(&lr, &ls), "MPI_Comm_split_type", rank: Int(r))
        (rank, size, localRank, localSize, usesMPI) = (Int(r), Int(s), Int(lr), Int(ls), true)
        // MPI must be finalised before exit, or mpirun counts a clean exit as a failure.
        atexit { if cmpi_initialized() != 0, cmpi_finalized() == 0 { _ = cmpi_finalize() } }
    }

    /// Whether this is rank 0 (Python `is_main_process`).
    public var isMain: Bool { rank == 0 }
    /// Whether this is the first rank on its machine (Python `is_local_main_process`).
    public var isLocalMain: Bool { localRank == 0 }

    /// Waits until every rank has reached this call (Python `wait_for_everyone`).
    public func barrier() throws {
        guard usesMPI else { return }
        try check(cmpi_barrier(), "MPI_Barrier")
    }

    /// Ends the whole job (every rank) after writing `message` to stderr, naming this rank:
    /// what a rank does when it cannot go on, so the others are not left waiting in a collective.
    public func abort(_ message: String, code: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data("rank \(rank) of \(size): \(message)\n".utf8))
        if usesMPI { _ = cmpi_abort(code) }
        exit(code)
    }

    /// Copies rank `root`'s bytes into every rank's `buffer` (same byte count on every rank).
    public func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int = 0) throws {
        guard usesMPI, size > 1, let base = buffer.baseAddress else { return }
        guard (0..<size).contains(root) else { throw DistributedError("broadcast root \(root) is not a rank of 0..<\(size)") }
        // MPI counts are 32-bit: send large buffers in pieces of at most 1 GiB.
        var offset = 0
        while offset < buffer.count {
            let n = min(buffer.count - offset, 1 << 30)
            try check(cmpi_bcast_bytes(base + offset, Int32(n), Int32(root)), "MPI_Bcast")
            offset += n
        }
    }

    /// Rank `root`'s values on every rank (the arrays must have the same count everywhere).
    public func broadcast<T: BitwiseCopyable>(_ values: inout [T], root: Int = 0) throws {
        try values.withUnsafeMutableBytes { try broadcast($0, root: root) }
    }

    /// Element-wise sums over the ranks, in place, identical on every rank.
    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws {
        guard usesMPI, size > 1, let base = buffer.baseAddress else { return }
        try forPieces(buffer.count) { try check(cmpi_allreduce_sum_float(base + $0, Int32($1)), "MPI_Allreduce") }
    }

    /// Element-wise sums over the ranks, in place, identical on every rank (losses and counts in Double).
    public func allReduceSum(_ values: inout [Double]) throws {
        guard usesMPI, size > 1 else { return }
        try values.withUnsafeMutableBufferPointer { b in
            guard let base = b.baseAddress else { return }
            try forPieces(b.count) { try check(cmpi_allreduce_sum_double(base + $0, Int32($1)), "MPI_Allreduce") }
        }
    }

    /// Element-wise maxima (or minima) over the ranks, in place.
    public func allReduceMax(_ values: inout [Int64]) throws { try reduceInt64(&values, max: true) }
    /// Element-wise minima over the ranks, in place.
    public func allReduceMin(_ values: inout [Int64]) throws { try reduceInt64(&values, max: false) }

    private func reduceInt64(_ values: inout [Int64], max: Bool) throws {
        guard usesMPI, size > 1 else { return }
        try values.withUnsafeMutableBufferPointer { b in
            guard let base = b.baseAddress else { return }
            try forPieces(b.count) {
                try check(max ? cmpi_allreduce_max_int64(base + $0, Int32($1)) : cmpi_allreduce_min_int64(base + $0, Int32($1)),
                          "MPI_Allreduce")
            }
        }
    }

    /// Every rank's values, in rank order (Python `all_gather_object` for flat arrays); the
    /// counts may differ between ranks (MPI_Allgatherv).
    public func allGather<T: BitwiseCopyable>(_ values: [T]) throws -> [[T]] {
        guard usesMPI, size > 1 else { return [values] }
        let stride = MemoryLayout<T>.stride
        // First the counts, then the values at their offsets.
        var counts = [Int64](repeating: 0, count: size)
        let mine = [Int64(values.count)]
        try mine.withUnsafeBytes { send in
            try counts.withUnsafeMutableBytes { recv in
                try check(cmpi_allgather_bytes(send.baseAddress, Int32(send.count), recv.baseAddress), "MPI_Allgather")
            }
        }
        let byteCounts = counts.map { Int($0) * stride }
        let total = byteCounts.reduce(0, +)
        guard total <= Int(Int32.max) else {
            throw DistributedError("allGather of \(total) bytes exceeds MPI's 2 GiB limit for one call: gather in smaller pieces")
        }
        var displs = [Int32](repeating: 0, count: size)
        for r in 1..<size { displs[r] = displs[r - 1] + Int32(byteCounts[r - 1]) }
        var recv = [UInt8](repeating: 0, count: max(1, total))
        let c32 = byteCounts.map { Int32($0) }
        try values.withUnsafeBytes { send in
            try recv.withUnsafeMutableBytes { out in
                try check(cmpi_allgatherv_bytes(send.baseAddress, Int32(send.count), out.baseAddress, c32, displs),
                          "MPI_Allgatherv")
            }
        }
        return (0..<size).map { r in
            recv.withUnsafeBytes { raw in
                let start = Int(displs[r])
                return (0..<Int(counts[r])).map { raw.loadUnaligned(fromByteOffset: start + $0 * stride, as: T.self) }
            }
        }
    }

    /// Calls `body(offset, count)` over pieces of at most 2²⁸ elements (MPI counts are 32-bit).
    private func forPieces(_ n: Int, _ body: (Int, Int) throws -> Void) throws {
        var offset = 0
        while offset < n {
            let count = min(n - offset, 1 << 28)
            try body(offset, count)
            offset += count
        }
    }

    private func check(_ rc: Int32, _ call: String) throws { try ProcessGroup.check(rc, call, rank: rank) }

    private static func check(_ rc: Int32, _ call: String, rank: Int) throws {
        guard rc != 0 else { return }
        throw DistributedError("rank \(rank): \(call) failed: \(message(rc)). Another rank may have stopped; "
            + "see its error above")
    }

    private static func message(_ rc: Int32) -> String {
        var text = [CChar](repeating: 0, count: 512)
        var length: Int32 = 0
        _ = cmpi_error_string(rc, &text, &length)
        return String(decoding: text.prefix(Int(max(0, length))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

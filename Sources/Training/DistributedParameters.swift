import Distributed
import Foundation
import Models
import Tensor

// The pieces of data-parallel training that act on a model's parameters, shared by the
// Accelerator and the Trainer under MPI. Every function here is a collective: all ranks call it
// with the same model in the same order.

/// Copies rank 0's parameter values into every rank, in parameter order (DDP's initial
/// broadcast), so all ranks start from the same bits.
public func broadcastParameters(_ parameters: [Parameter], group: ProcessGroup, root: Int = 0) throws {
    guard group.size > 1 else { return }
    for p in parameters {
        try group.broadcast(UnsafeMutableRawBufferPointer(start: p.value.data, count: p.value.count * 4), root: root)
    }
}

/// Replaces each parameter's gradient by its mean over the ranks, in fixed buckets in parameter
/// order (`BucketedAllReduce`). A parameter whose backward records its gradient rows (the word
/// embeddings: a few hundred of 30,522 rows per batch) sends only the rows some rank touched:
/// the ranks first agree on the union of their rows, then average those rows, and every rank
/// records that union, so clipping and `zeroGrad` see the rows the other ranks added.
public func averageGradients(_ parameters: [Parameter], group: ProcessGroup, reducer: inout BucketedAllReduce) throws {
    guard group.size > 1 else { return }
    var pieces: [(UnsafeMutablePointer<Float>, Int)] = []
    for p in parameters {
        let g = p.grad.data
        if p.recordsGradRows, p.shape.count == 2 {
            // -1 says "rows unknown" (the whole gradient may be non-zero): then all ranks send all.
            let mine = p.gradRows.map { $0.map(Int64.init) } ?? [-1]
            let all = try group.allGather(mine)
            if all.contains(where: { $0.contains(-1) }) {
                pieces.append((g, p.grad.count))
            } else {
                let union = Array(Set(all.joined())).sorted()
                p.noteGradRows(union)
                let c = p.shape[1]
                pieces += union.map { (g + Int($0) * c, c) }
            }
        } else {
            pieces.append((g, p.grad.count))
        }
    }
    try reducer.average(pieces, group: group)
}

/// A 64-bit FNV-1a digest of the parameter values' bits, in order: equal on two ranks exactly
/// when their weights are bit-for-bit the same (up to hash collisions), which tests check.
public func parameterDigest(_ parameters: [Parameter]) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for p in parameters {
        let words = UnsafeRawPointer(p.value.data).bindMemory(to: UInt32.self, capacity: p.value.count)
        for i in 0..<p.value.count {
            h = (h ^ UInt64(words[i])) &* 0x0000_0100_0000_01b3
        }
    }
    return h
}

/// Under a launcher, and unless `COURSE_THREADS` (or `OPENBLAS_NUM_THREADS`) chooses, each rank
/// takes its share of the machine's cores: cores ÷ ranks on this machine, at least 1, so N ranks
/// do not oversubscribe the cores N-fold.
public func applyDefaultThreads(_ group: ProcessGroup) {
    let env = ProcessInfo.processInfo.environment
    guard group.usesMPI, env["COURSE_THREADS"] == nil, env["OPENBLAS_NUM_THREADS"] == nil else { return }
    Threads.count = max(1, ProcessInfo.processInfo.activeProcessorCount / max(1, group.localSize))
}

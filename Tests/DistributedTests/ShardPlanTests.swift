import Distributed
import Testing

/// The deal of batches over ranks, checked against what Accelerate's BatchSamplerShard yields.
@Suite struct ShardPlanTests {
    func batches(_ n: Int, _ b: Int) -> [[Int]] { stride(from: 0, to: n, by: b).map { Array($0..<min(n, $0 + b)) } }

    @Test func nineRowsBatchFiveTwoRanks() {
        let plan = ShardPlan(batches: batches(9, 5), batchSize: 5, numProcesses: 2)
        #expect(plan.perRank[0] == [[0, 1, 2, 3, 4]])
        #expect(plan.perRank[1] == [[5, 6, 7, 8, 0]])
        #expect(plan.remainder == 9)
    }

    @Test func roundRobinCoversTheDoubleBatch() {
        // 20 rows, batch 2, 2 ranks: step k of the two ranks = rows 4k..<4k+4.
        let plan = ShardPlan(batches: batches(20, 2), batchSize: 2, numProcesses: 2)
        for k in 0..<5 { #expect(plan.perRank[0][k] + plan.perRank[1][k] == Array((4 * k)..<(4 * k + 4))) }
        #expect(plan.remainder == nil)
    }

    @Test func shortRoundIsFilledFromTheStart() {
        // 11 rows, batch 5: [0-4] [5-9] | [10] → [10, 0, 1, 2, 3], then [4, 5, 6, 7, 8].
        let plan = ShardPlan(batches: batches(11, 5), batchSize: 5, numProcesses: 2)
        #expect(plan.perRank[0] == [[0, 1, 2, 3, 4], [10, 0, 1, 2, 3]])
        #expect(plan.perRank[1] == [[5, 6, 7, 8, 9], [4, 5, 6, 7, 8]])
        #expect(plan.remainder == 1)
    }

    @Test func fewerRowsThanOneRoundCycle() {
        let plan = ShardPlan(batches: batches(3, 4), batchSize: 4, numProcesses: 2)
        #expect(plan.perRank[0] == [[0, 1, 2, 0]])
        #expect(plan.perRank[1] == [[1, 2, 0, 1]])
        #expect(plan.remainder == 3)
    }

    @Test func withoutEvenBatchesAndWithDropLast() {
        let uneven = ShardPlan(batches: batches(11, 5), batchSize: 5, numProcesses: 2, evenBatches: false)
        #expect(uneven.perRank[0] == [[0, 1, 2, 3, 4], [10]])
        #expect(uneven.perRank[1] == [[5, 6, 7, 8, 9]])
        let dropped = ShardPlan(batches: batches(11, 5), batchSize: 5, numProcesses: 2, dropLast: true)
        #expect(dropped.perRank[0] == [[0, 1, 2, 3, 4]] && dropped.perRank[1] == [[5, 6, 7, 8, 9]])
    }

    @Test func oneProcessKeepsEveryBatch() {
        let plan = ShardPlan(batches: batches(9, 5), batchSize: 5, numProcesses: 1)
        #expect(plan.perRank == [batches(9, 5)])
        #expect(plan.remainder == nil)
    }
}

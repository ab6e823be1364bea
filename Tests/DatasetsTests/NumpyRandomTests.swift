import Foundation
import Testing
@testable import Datasets

// NumPy's default_rng permutations, reproduced; values from Scripts/fixtures/data_numpy_random_fixtures.py.

@Test func seedSequenceMatchesNumPy() {
    #expect(NumpyGenerator.seedSequenceState(entropy: 42)
        == [0x9f1e_2e6d_cd54_0ab7, 0xd578_73dc_79fb_94b6, 0x7d28_2a1b_64d4_20b7, 0x3365_7971_4692_d5ff])
}

@Test func permutationsMatchNumPy() {
    var g = NumpyGenerator(seed: 42)
    #expect(g.permutation(10) == [5, 6, 0, 7, 3, 2, 4, 9, 1, 8])
    var g0 = NumpyGenerator(seed: 0)
    #expect(g0.permutation(12) == [9, 2, 7, 4, 5, 11, 0, 3, 6, 10, 8, 1])
}

struct PermutationCase: Decodable {
    var seed: String
    var n: Int
    var state: [String]
    var head, tail: [Int]
    var checksum: Int
}

@Test func permutationsMatchNumPyFixture() throws {
    struct File: Decodable { var cases: [PermutationCase] }
    let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: fixtures.appendingPathComponent("numpy_permutations.json")))
    #expect(file.cases.count == 30)
    for c in file.cases {
        let seed = try #require(UInt64(c.seed))
        #expect(NumpyGenerator.seedSequenceState(entropy: seed).map(String.init) == c.state, "seed \(seed)")
        var g = NumpyGenerator(seed: seed)
        let p = g.permutation(c.n)
        #expect(Array(p.prefix(16)) == c.head, "seed \(seed) n \(c.n)")
        #expect(Array(p.suffix(16)) == c.tail, "seed \(seed) n \(c.n)")
        #expect(p.enumerated().reduce(0) { $0 + $1.offset * $1.element } == c.checksum, "seed \(seed) n \(c.n)")
    }
}

import Foundation
import Testing
@testable import Parquet

// Untrusted bytes: a damaged file must give a ParquetError, never a crash, a hang or a
// silently different table. Deterministic damage (every truncation point of the footer, byte
// flips at fixed strides) so the test is repeatable.

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

/// Opens `bytes` and reads every column; returns the table or the error.
private func readAll(_ bytes: [UInt8]) -> Result<[[ParquetValue]], ParquetError> {
    do {
        let file = try ParquetFile(bytes: bytes, name: "damaged.parquet")
        return .success(try file.columnNames.map { try file.column($0) })
    } catch let error as ParquetError {
        return .failure(error)
    } catch {
        return .failure(ParquetError("unexpected error type: \(error)"))
    }
}

@Suite struct CorruptInputTests {
    let original: [UInt8]
    init() throws { original = [UInt8](try Data(contentsOf: fixtures.appendingPathComponent("huggingface.parquet"))) }

    @Test func notParquetAndTruncatedFilesAreRefused() {
        for bytes in [[], Array("PAR1".utf8), Array("hello world, not parquet".utf8), Array(original.dropLast(1)),
                      Array(original.prefix(original.count / 2))] {
            guard case .failure(let error) = readAll(bytes) else { Issue.record("accepted \(bytes.count) bytes"); continue }
            #expect(error.description.contains("damaged.parquet"))
        }
    }

    @Test func everyFooterTruncationIsAnError() {
        // Keep the trailing length and magic but cut the footer short: the length no longer fits.
        let footerLength = Int(original[original.count - 8]) | Int(original[original.count - 7]) << 8
        for cut in stride(from: 1, to: footerLength, by: 7) {
            var bytes = original
            bytes.removeSubrange((original.count - 8 - cut)..<(original.count - 8))
            if case .success = readAll(bytes) { Issue.record("accepted a footer cut by \(cut) bytes") }
        }
    }

    @Test func flippedBytesNeverCrash() {
        // Each damaged copy either fails with a ParquetError or reads to some table; what
        // matters is that it returns. Bytes in the footer and in the pages are both hit.
        var failures = 0
        for position in stride(from: 4, to: original.count - 8, by: 13) {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var bytes = original
                bytes[position] ^= mask
                if case .failure = readAll(bytes) { failures += 1 }
            }
        }
        #expect(failures > 0)
    }

    @Test func anUnreadablePathSaysWhichCaseAndWhatToDo() {
        // Not Foundation's message alone: which case it is, and what to do.
        let missing = fixtures.appendingPathComponent("no-such.parquet")
        let none = #expect(throws: ParquetError.self) { try ParquetFile(contentsOf: missing) }
        #expect(none?.description == "cannot read \(missing.path): there is no such file; check the path, or download the dataset again")
        let folder = #expect(throws: ParquetError.self) { try ParquetFile(contentsOf: fixtures) }
        #expect(folder?.description == "cannot read \(fixtures.path): it is a directory, not a Parquet file")
    }

    @Test func aHugeDeclaredPageIsRefusedBeforeAllocating() {
        var limits = ParquetLimits()
        limits.maxValuesPerPage = 10      // the fixture's pages hold 40 values
        let result = Result { try ParquetFile(bytes: original, name: "small-limits.parquet", limits: limits).column("tokens") }
        guard case .failure(let error) = result else { Issue.record("read past the limit"); return }
        #expect("\(error)".contains("limit"))
    }
}

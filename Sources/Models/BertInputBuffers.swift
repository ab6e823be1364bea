import Tensor

/// A batch's token ids, token type ids ([N] Int32) and attention mask ([N] Float) for up to
/// `capacity` tokens, copied in by each forward pass; shared shape of both workspaces.
final class BertInputBuffers {
    let ids, types: UnsafeMutablePointer<Int32>
    let mask: Tensor

    init(tokens n: Int) {
        ids = .allocate(capacity: n); ids.initialize(repeating: 0, count: n)
        types = .allocate(capacity: n); types.initialize(repeating: 0, count: n)
        mask = Tensor(shape: [n])
    }

    deinit { ids.deallocate(); types.deallocate() }

    /// Copies the batch in (N = B·T values each); returns the mask, or nil when the batch has none.
    func load(_ input: BertInput) -> UnsafePointer<Float>? {
        let n = input.batchSize * input.sequenceLength
        input.inputIds.withUnsafeBufferPointer { ids.update(from: $0.baseAddress!, count: n) }
        input.tokenTypeIds.withUnsafeBufferPointer { types.update(from: $0.baseAddress!, count: n) }
        guard let m = input.attentionMask else { return nil }
        m.withUnsafeBufferPointer { mask.data.update(from: $0.baseAddress!, count: n) }
        return UnsafePointer(mask.data)
    }
}

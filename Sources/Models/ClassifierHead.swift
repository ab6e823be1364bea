import Tensor

/// What a task model returns: the logits ([B, T, L] for tokens, [B, L] for sequences) and, when
/// labels were given, the mean loss (cross-entropy; mean-squared error for a regression head). `backward()` back-propagates that loss
/// (like `outputs.loss.backward()` in PyTorch).
public struct ClassifierOutput {
    /// The mean cross-entropy over the labelled rows (labels -100 ignored), or for a regression
    /// head the mean-squared error over every value; nil without labels.
    public let loss: Float?
    /// The scores before softmax: [B, T, L] for tokens, [B, L] for sequences.
    public let logits: Tensor
    let model: any BertClassifier

    /// Accumulates d(loss · scale)/d(parameter) into every `Parameter.grad` (`loss.backward()`)
    /// and returns the loss. With gradient accumulation over k batches pass `scale: 1 / k`, as the
    /// Trainer divides the loss. Throws when the forward pass had no labels (so no loss).
    @discardableResult
    public func backward(scale: Float = 1) throws -> Float {
        guard let loss else {
            throw ModelError("backward() needs a loss: call the model with labels (a batch with a 'labels' column)")
        }
        try model.backward(scale: scale)
        return loss
    }
}

/// The classification layer shared by both heads: dropout, then classifier [L, C], then
/// cross-entropy ignoring label -100, or (float targets: regression) mean-squared error.
/// Works on M feature rows (M = B·T tokens or B sequences).
final class ClassifierHead {
    let classifier: Linear
    let labels: Int
    private var dropped = Tensor(shape: [0]), logits = Tensor(shape: [0]), probs = Tensor(shape: [0])
    private(set) var dFeatures = Tensor(shape: [0])
    private var targets: [Int32] = []
    // Regression targets [M·L]; non-nil when the last loss was mean-squared error.
    private var floatTargets: [Float]?
    private var last: (m: Int, count: Int, p: Float, rng: CounterRandom)?
    /// Whether the last forward ran without gradients (for backward's error message).
    private var lastUnrecorded = false

    init(config: BertConfig, seed: UInt64) {
        labels = config.numLabels
        classifier = Linear("classifier", in: config.hiddenSize, out: labels)
        initializeWeights(classifier.parameters, config: config, seed: seed &+ 0xC1A5)
    }

    /// features: [M, C] → logits [M, L] (a copy); loss when `targets` ([M] class ids) or
    /// `floatTargets` ([M·L] values: regression) is given. Without `recording` (no gradients)
    /// nothing is kept for backward.
    func forward(_ features: UnsafePointer<Float>, m: Int, targets t: [Int32]?, floatTargets ft: [Float]? = nil,
                 p: Float, rng: CounterRandom, recording: Bool = true) throws -> (logits: Tensor, loss: Float?) {
        let c = classifier.inFeatures, l = labels
        guard l > 0 else { throw ModelError("the classifier has no labels: give the config id2label or numLabels ≥ 1") }
        lastUnrecorded = !recording
        if logits.count < m * l { logits = Tensor(shape: [m * l]); probs = Tensor(shape: [m * l]) }
        if recording || p > 0 {
            if dropped.count < m * c { dropped = Tensor(shape: [m * c]); dFeatures = Tensor(shape: [m * c]) }
            dropoutForward(dropped.data, features, count: m * c, p: p, rng: rng)
            classifier.forward(logits.data, dropped.data, n: m, keepInput: recording)
        } else {
            classifier.forward(logits.data, features, n: m)
        }
        let out = Tensor(shape: [m * l])
        out.data.update(from: logits.data, count: m * l)
        floatTargets = nil
        if let ft {
            guard ft.count == m * l else {
                throw ModelError("got \(ft.count) regression labels for \(m) rows of \(l) outputs; pass \(m * l) values")
            }
            floatTargets = ft
            last = recording ? (m, m * l, p, rng) : nil
            return (out, meanSquaredError(logits.data, ft))
        }
        guard let t else { last = nil; return (out, nil) }
        guard t.count == m else { throw ModelError("got \(t.count) labels for \(m) predictions; pass one label per prediction") }
        targets = t
        let (loss, count) = try targets.withUnsafeBufferPointer {
            try crossEntropyForward(probs: probs.data, logits: logits.data, targets: $0.baseAddress!, n: m, l: l)
        }
        last = recording ? (m, count, p, rng) : nil
        return (out, loss)
    }

    /// Backward of the loss into dFeatures [M, C] (overwritten) and the classifier's gradients.
    func backward(scale: Float = 1) throws -> UnsafePointer<Float> {
        guard let last else {
            if lastUnrecorded {
                throw ModelError("backward() needs a forward pass with gradients: the last one ran inside withNoGrad")
            }
            throw ModelError("backward() needs a forward pass with labels: call the model with labels: ..., then backward()")
        }
        let l = labels, m = last.m
        if let ft = floatTargets {
            // d mean((x − y)²)/dx = 2(x − y)/count, into probs as the cross-entropy path does.
            let s = 2 * scale / Float(max(1, last.count))
            for i in 0..<(m * l) { probs.data[i] = (logits.data[i] - ft[i]) * s }
        } else {
            targets.withUnsafeBufferPointer {
                crossEntropyBackward(dlogits: probs.data, probs: probs.data, targets: $0.baseAddress!, n: m, l: l,
                                     count: last.count, dloss: scale)
            }
        }
        classifier.backward(dinp: dFeatures.data, dout: probs.data, inp: dropped.data, n: m)
        dropoutBackward(dinp: dFeatures.data, dout: dFeatures.data, count: m * classifier.inFeatures, p: last.p, rng: last.rng)
        self.last = nil // probs now hold gradients; a second backward needs a new forward
        return UnsafePointer(dFeatures.data)
    }
}

/// mean((x − y)²) over the values of `y` (PyTorch `MSELoss`, reduction mean); x: the logits
/// [M·L], y: the targets [M·L]. Summed in Double so long batches lose no precision.
func meanSquaredError(_ x: UnsafePointer<Float>, _ y: [Float]) -> Float {
    guard !y.isEmpty else { return 0 }
    var total = 0.0
    for i in y.indices { let d = Double(x[i] - y[i]); total += d * d }
    return Float(total / Double(y.count))
}

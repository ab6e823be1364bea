import Datasets
import Distributed
import Files
import Foundation
import Hub
import Metrics
import Models
import Tensor

/// What `train` returns (Python `TrainOutput`): the last step and the mean training loss.
public struct TrainOutput: Sendable, Equatable {
    /// Optimizer steps taken.
    public let globalStep: Int
    /// The mean training loss over all steps.
    public let trainingLoss: Double
    /// The last log, as Python's: `train_runtime`, `train_samples_per_second`,
    /// `train_steps_per_second` (wall clock), `total_flos`, `train_loss`, `epoch`, `step`.
    public let metrics: [String: Double]
}

extension Trainer {
    /// Trains for `numTrainEpochs` (or `maxSteps`) optimizer steps: each epoch a fresh seeded
    /// order of `trainDataset`, batches of `perDeviceTrainBatchSize`, `gradientAccumulationSteps`
    /// batches per step, gradients clipped to `maxGradNorm`, AdamW (no decay on biases and
    /// LayerNorm) on `lrSchedulerType` with warmup; logs, evaluates and saves checkpoints by the
    /// strategies of `args`. The loop is built from the public pieces a hand-written loop uses
    /// (`DataLoader`, `AdamW`, `getScheduler`, `model(batch)`, `outputs.backward`, clipping),
    /// so such a loop with the same settings ends at the same bits.
    ///
    /// `resumeFromCheckpoint`: a `checkpoint-<step>` directory written by an earlier run with the
    /// same arguments; the model, optimizer, schedule, data order, dropout masks and loss sums
    /// are restored, so the run ends with the same numbers as an uninterrupted one.
    ///
    /// The model's dropout seed is set to `args.seed` (as Python's `set_seed` does).
    ///
    /// With a `replayStore` (`course step` and `course exercise check` set one), a run whose
    /// inputs all equal those of a recorded run is replayed instead of trained (see
    /// `TrainerReplay.swift`), saying so on stderr.
    @discardableResult
    public func train(resumeFromCheckpoint: String? = nil) throws -> TrainOutput {
        let dataset = try checkTrainInputs()
        // modelInit first: the key of a replayable run covers the model it makes.
        if let modelInit { model = try modelInit() }
        let (replayed, plan) = try replayOrPlan(resuming: resumeFromCheckpoint != nil)
        if let replayed { return replayed }
        switch plan {
        case .record(let store, let key): return try recording(store, key) { try runTraining(dataset, resumeFromCheckpoint) }
        case .train: return try runTraining(dataset, resumeFromCheckpoint)
        }
    }

    /// The errors `train` raises before anything starts; returns the training rows.
    private func checkTrainInputs() throws -> Dataset {
        guard let dataset = trainDataset else {
            throw TrainerError("train needs a trainDataset: pass trainDataset: to the Trainer")
        }
        guard dataset.count > 0 else {
            throw TrainerError("the trainDataset has 0 rows: check how it was loaded, filtered or split")
        }
        try checkLabels(dataset, split: "training")
        if args.evalStrategy != .no, evalDataset == nil {
            throw TrainerError("evalStrategy is .\(args.evalStrategy.rawValue) but the Trainer has no evalDataset: "
                + "pass evalDataset: or set evalStrategy: .no")
        }
        return dataset
    }

    private func runTraining(_ dataset: Dataset, _ resumeFromCheckpoint: String?) throws -> TrainOutput {
        try initHubRepo()
        // The pieces of a hand-written loop (Chapter 3): a seeded shuffled DataLoader, AdamW,
        // a schedule from getScheduler; the step below is forward, backward, clip, step, zeroGrad.
        let lengths = args.groupByLength ? try rowLengths(dataset) : nil
        let loader = try DataLoader(dataset, batchSize: args.perDeviceTrainBatchSize, shuffle: true, seed: args.seed,
                                    collateFn: dataCollator, lengths: lengths)
        // Under MPI each rank runs its share of every epoch's batches (one process: all of them).
        let ranks = group.size, rank = group.rank
        func rankBatches(_ epoch: Int) -> [[Int]] {
            ShardPlan(batches: loader.batchIndices(epoch: epoch), batchSize: loader.batchSize, numProcesses: ranks)
                .perRank[rank]
        }
        try prepareOutputDir()
        let accum = args.gradientAccumulationSteps
        let stepsPerEpoch = max(1, (rankBatches(0).count + accum - 1) / accum)
        let totalSteps = args.maxSteps > 0 ? args.maxSteps : Int((args.numTrainEpochs * Double(stepsPerEpoch)).rounded(.up))
        let numEpochs = (totalSteps + stepsPerEpoch - 1) / stepsPerEpoch

        try broadcastParameters(model.parameters, group: group) // every rank starts from rank 0's weights
        let restorePrecision = try model.enterBF16(args.bf16)
        defer { restorePrecision() }
        model.bert.seed = args.seed
        let optimizer = try AdamW(model.parameters, lr: args.learningRate, betas: (args.adamBeta1, args.adamBeta2),
                                  eps: args.adamEpsilon, weightDecay: args.weightDecay)
        let scheduler = try getScheduler(args.lrSchedulerType, optimizer: optimizer,
                                         numWarmupSteps: args.numWarmupSteps(totalSteps), numTrainingSteps: totalSteps)
        self.optimizer = optimizer
        self.lrScheduler = scheduler
        state = TrainerState()
        state.maxSteps = totalSteps
        state.numTrainEpochs = numEpochs
        setRunSettings()
        if let checkpoint = resumeFromCheckpoint {
            try loadCheckpoint(checkpoint, optimizer: optimizer, scheduler: scheduler)
        } else {
            state.dropoutForwardCount = model.bert.forwardCount
        }
        model.train()
        defer { model.eval() }
        let startTime = Date() // train_runtime measures this call's steps, as Python's does
        control = TrainerControl()
        try callbackEvent { try $0.onTrainBegin(args: args, state: state, control: &$1, model: model) }
        let startStep = state.globalStep
        let bar = args.disableTqdm || !isWorldProcessZero ? nil
            : ProgressBar(total: Int64(totalSteps), description: "Training", initial: Int64(startStep))
        var stopped = startStep >= totalSteps
        var epoch = startStep / stepsPerEpoch
        while epoch < numEpochs, !stopped {
            let batches = rankBatches(epoch)
            let stepInEpoch = state.globalStep - epoch * stepsPerEpoch
            var b = stepInEpoch * accum
            while b < batches.count, !stopped {
                let micro = Array(batches[b..<min(batches.count, b + accum)])
                let lr = scheduler.lastLR // logged as this step's rate, as Python logs it
                let stepLoss = try trainStep(micro.map(loader.collate), optimizer: optimizer, scheduler: scheduler)
                b += micro.count
                state.globalStep += 1
                state.epoch = Double(epoch) + Double(b) / Double(batches.count)
                state.totalLossSum += stepLoss
                state.logLossSum += stepLoss; state.logLossCount += 1
                state.lineLossSum += stepLoss; state.lineLossCount += 1
                bar?.set(postfix: "loss " + Self.format4(stepLoss))
                bar?.advance()
                let step = state.globalStep
                // Like Python, reaching the last step ends the epoch early: it evaluates and saves
                // by the epoch strategies (a `shouldStop` interruption does not).
                let epochEnd = b >= batches.count || step >= totalSteps
                try stepEndControl(step: step, totalSteps: totalSteps, epochEnd: epochEnd)
                if control.shouldLog { try logTrainLoss(lr: lr) }
                var metrics: MetricResult?
                if control.shouldEvaluate {
                    let m = try evaluate()
                    metrics = m
                    printEvaluationLine(epochEnd ? "epoch \(epoch + 1)/\(numEpochs)" : "step \(step)/\(totalSteps)", metrics: m)
                } else if epochEnd {
                    printEvaluationLine("epoch \(epoch + 1)/\(numEpochs)", metrics: nil)
                }
                if control.shouldSave {
                    try saveCheckpoint(metrics: metrics, optimizer: optimizer, scheduler: scheduler)
                    try pushFromCheckpoint()
                    control.shouldSave = false
                    try callbackEvent { try $0.onSave(args: args, state: state, control: &$1) }
                }
                if step >= totalSteps || control.shouldTrainingStop || shouldStop?(state) == true { stopped = true }
            }
            if b >= batches.count { epoch += 1 }
        }
        bar?.finish()
        let trainLoss = state.totalLossSum / Double(max(1, state.globalStep))
        // Python's summary: the speeds of this call's share of the run's samples, the FLOs, the loss.
        let samplesInRun = args.maxSteps > 0
            ? Double(args.maxSteps * args.perDeviceTrainBatchSize * accum * ranks)
            : Double(dataset.count) * args.numTrainEpochs
        let stepsRun = state.globalStep - startStep
        var summary = Self.speedMetrics("train", since: startTime,
                                        samples: samplesInRun * Double(stepsRun) / Double(max(1, state.maxSteps)),
                                        steps: Double(stepsRun))
        summary["total_flos"] = state.totalFlos
        summary["train_loss"] = trainLoss
        summary["epoch"] = state.epoch
        summary["step"] = Double(state.globalStep)
        try log(summary)
        try finishCheckpoints()
        try callbackEvent { try $0.onTrainEnd(args: args, state: state, control: &$1) }
        return TrainOutput(globalStep: state.globalStep, trainingLoss: trainLoss, metrics: summary)
    }

    /// Creates `outputDir` and checks that it takes files before training starts, when the run
    /// will write there (checkpoints, the best model, TensorBoard's default `runs/`), so an
    /// unusable folder is an error now rather than at the first checkpoint after minutes of work.
    func prepareOutputDir() throws {
        let writesThere = args.saveStrategy != .no || args.loadBestModelAtEnd
            || (args.reportTo.contains(.tensorboard) && ProcessInfo.processInfo.environment["TENSORBOARD_LOGGING_DIR"] == nil)
        guard writesThere, isWorldProcessZero else { return }
        do { try WritableFolder.prepare(args.outputDir, purpose: "the Trainer's outputDir") } catch {
            throw TrainerError("\(error)")
        }
    }

    /// `train(resumeFromCheckpoint: true)` resumes from the newest `checkpoint-<step>` in
    /// `outputDir` (Python's `resume_from_checkpoint=True`); `false` trains from the start.
    @discardableResult
    public func train(resumeFromCheckpoint resume: Bool) throws -> TrainOutput {
        guard resume else { return try train(resumeFromCheckpoint: nil) }
        guard let last = getLastCheckpoint(args.outputDir) else {
            throw TrainerError("no checkpoint-<step> directory in \(args.outputDir) to resume from; "
                + "train once with a saveStrategy, or pass resumeFromCheckpoint: false")
        }
        return try train(resumeFromCheckpoint: last)
    }

    /// One optimizer step over `micro` batches, the hand-written loop's step: each batch's
    /// forward and backward with its loss scaled by 1/count (so gradients are of the mean loss),
    /// then the gradients clipped to `maxGradNorm`, `optimizer.step()`, `scheduler.step()`,
    /// `optimizer.zeroGrad()`. Returns the mean loss of the batches.
    func trainStep(_ micro: [Batch], optimizer: AdamW, scheduler: LRScheduler) throws -> Double {
        var loss = 0.0, flos = 0.0
        for batch in micro {
            flos += floatingPointOps(batch)
            guard batch.labels != nil || batch.floatLabels != nil else {
                throw TrainerError("the training rows have no labels: the collator found no 'labels' or 'label' column")
            }
            let outputs = try model(batch)
            state.dropoutForwardCount &+= 1
            guard let l = outputs.loss else { throw TrainerError("internal: the model returned no loss for a batch with labels") }
            loss += Double(l)
            try outputs.backward(scale: 1 / Float(micro.count))
        }
        if group.size > 1 {
            // DDP: every rank's gradients become their mean over the ranks; the loss reported is
            // the ranks' mean too (Python gathers the losses for its logs).
            try averageGradients(model.parameters, group: group, reducer: &gradientReducer)
            var total = [loss, flos]
            try group.allReduceSum(&total)
            loss = total[0] / Double(group.size)
            flos = total[1] // Python sums every process's FLOs
        }
        state.totalFlos += flos
        var clip: Float = 1
        if args.maxGradNorm > 0 {
            // clipGradNorm(model.parameters, maxNorm:) then optimizer.step(), in one pass over the
            // gradients: the optimizer multiplies each gradient by the clip factor as it reads
            // it, the same float product clipGradNorm stores, so the same bits.
            let norm = gradNorm(model.parameters)
            clip = clipCoefficient(norm: norm, maxNorm: args.maxGradNorm)
            lastGradNorm = Double(norm)
        }
        optimizer.step(gradientScale: clip)
        scheduler.step()
        optimizer.zeroGrad()
        return loss / Double(micro.count)
    }

    /// Appends `{"loss", "grad_norm", "learning_rate", "epoch", "step"}` to the log history.
    func logTrainLoss(lr: Float) throws {
        guard state.logLossCount > 0 else { return }
        var entry: [String: Double] = ["loss": state.logLossSum / Double(state.logLossCount),
                                       "learning_rate": Double(lr), "epoch": state.epoch,
                                       "step": Double(state.globalStep)]
        if let g = lastGradNorm { entry["grad_norm"] = g }
        try log(entry)
        state.logLossSum = 0
        state.logLossCount = 0
    }

    /// Prints the stable stdout line and resets the line's running loss.
    func printEvaluationLine(_ prefix: String, metrics: MetricResult?) {
        let trainLoss = state.lineLossCount > 0 ? state.lineLossSum / Double(state.lineLossCount) : nil
        // Wall-clock speeds stay out of the line, so that two runs print the same.
        let numbers: [(String, Double)] = (metrics ?? MetricResult()).compactMap { key, value in
            guard !TrainerState.isTiming(key) else { return nil }
            switch value {
            case .double(let x): return (key, x)
            case .int(let n): return (key, Double(n))
            case .nested: return nil
            }
        }
        if isWorldProcessZero { printLine(Self.line(prefix: prefix, trainLoss: trainLoss, metrics: numbers)) }
        state.lineLossSum = 0
        state.lineLossCount = 0
    }
}

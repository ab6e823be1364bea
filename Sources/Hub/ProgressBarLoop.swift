// tqdm's spelling for a loop a reader writes themselves:
//     let progressBar = ProgressBar(total: numTrainingSteps)    // tqdm(range(num_training_steps))
//     ... progressBar.update(1) after each step ...              // progress_bar.update(1)
//     progressBar.close()

extension ProgressBar {
    /// A bar over `total` items (steps, batches), counting in `it/s`, on stderr.
    public convenience init(total: Int, description: String = "") {
        self.init(total: Int64(max(0, total)), description: description, unit: .items("it"))
    }

    /// Advances the count by `n` (tqdm's `update(n)`; `update(to:)` sets it).
    public func update(_ n: Int = 1) { advance(by: Int64(n)) }

    /// Draws the final line (tqdm's `close()`); the same as `finish()`.
    public func close() { finish() }
}

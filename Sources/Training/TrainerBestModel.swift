import Files
import Foundation
import Metrics
import Models

extension Trainer {
    /// The end of `train()`, as Python's: with `loadBestModelAtEnd`, the best checkpoint's weights
    /// are loaded into the model (also after a callback stopped training early); with
    /// `saveTotalLimit: 1`, every checkpoint but the best is then deleted (rotation kept the
    /// newest as well, for resuming, while training ran).
    func finishCheckpoints() throws {
        guard args.loadBestModelAtEnd, let best = state.bestModelCheckpoint else { return }
        try loadModelWeights(from: best)
        // Under MPI every rank loads the best weights; world process zero alone deletes files.
        guard args.saveTotalLimit == 1, isWorldProcessZero else { return }
        let fm = FileManager.default
        let bestPath = URL(fileURLWithPath: best).standardizedFileURL.path
        for name in (try? fm.contentsOfDirectory(atPath: args.outputDir)) ?? [] where name.hasPrefix("checkpoint-") {
            let path = URL(fileURLWithPath: args.outputDir).appendingPathComponent(name).standardizedFileURL.path
            guard path != bestPath, Int(name.dropFirst("checkpoint-".count)) != nil else { continue }
            do { try fm.removeItem(atPath: path) } catch {
                throw TrainerError("cannot delete checkpoint \(path) (saveTotalLimit 1 keeps only the best): "
                    + FileProblem.describe(error))
            }
        }
    }

    /// Writes `trainer_state.json` (the state with the whole log history) into `outputDir`
    /// (Python `trainer.save_state()`), e.g. for Scripts/reference/tensorboard_check_run.py.
    public func saveState() throws {
        defer { try? group.barrier() }
        guard isWorldProcessZero else { return } // world process zero writes, under MPI
        do { try FileManager.default.createDirectory(atPath: args.outputDir, withIntermediateDirectories: true) } catch {
            throw TrainerError("cannot create \(args.outputDir): \(FileProblem.describe(error))")
        }
        try state.save(to: URL(fileURLWithPath: args.outputDir).appendingPathComponent("trainer_state.json"))
    }
}

import Files
import Foundation
import Training

// The output folder as run_glue / run_ner treat it: checked before anything is written (a file
// in the way, a non-empty folder without a checkpoint), resumed from its last checkpoint, and
// completed with the files the Python scripts leave beside the model.

/// The output folder's checks and extra files.
public enum OutputFolder {
    /// Checks `options.training.outputDir` before any work and returns the checkpoint to resume
    /// from: `--resume_from_checkpoint`, else (training into a non-empty folder without
    /// `--overwrite_output_dir`) its last `checkpoint-N`, announced on `say`. A non-empty
    /// folder without one is an error naming `--overwrite_output_dir`; so is a file in the way.
    public static func prepare(_ options: FineTuneOptions, say: (String) -> Void) throws -> String? {
        let dir = options.training.outputDir
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw FineTuneError("--output_dir \(dir) is a file, not a folder: choose another --output_dir or move the file")
        }
        if let resume = options.resumeFromCheckpoint {
            guard FileManager.default.fileExists(atPath: resume) else {
                throw FineTuneError("--resume_from_checkpoint \(resume) does not exist: give a checkpoint-N folder")
            }
            return resume
        }
        guard exists, options.doTrain, !options.overwriteOutputDir else { return nil }
        let contents = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasPrefix(".") }
        if let last = getLastCheckpoint(dir) {
            say("Checkpoint detected, resuming training at \(last). To avoid this behavior, change the --output_dir "
                + "or add --overwrite_output_dir to train from scratch.")
            return last
        }
        if !contents.isEmpty {
            let shown = contents.sorted().prefix(3).joined(separator: ", ") + (contents.count > 3 ? ", ..." : "")
            throw FineTuneError("output directory (\(dir)) already exists and is not empty (\(shown)) and holds no "
                + "checkpoint to resume: "
                + "use --overwrite_output_dir to train into it anyway, or choose another --output_dir")
        }
        return nil
    }

    /// Writes a text file whole (atomically), naming it in any error.
    public static func writeText(_ text: String, to name: String, in dir: String) throws {
        let url = URL(fileURLWithPath: dir).appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw FineTuneError("cannot write \(url.path): \(FileProblem.describe(error))")
        }
    }
}

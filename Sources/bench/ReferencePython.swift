import Foundation

// Which Python runs the reference measurements (PyTorch, transformers, tokenizers, seqeval).
// One rule for every bench subcommand: --python, else $COURSE_PYTHON, else the project's
// `.venv` (Scripts/make-venv.sh), else `python3` on PATH. "none" (or "") skips the reference.

enum ReferencePython {
    static var defaultPath: String {
        if let env = ProcessInfo.processInfo.environment["COURSE_PYTHON"] { return env }
        let venv = FileManager.default.currentDirectoryPath + "/.venv/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
    }

    /// nil when the reference is switched off.
    static func resolve(_ option: String) -> String? {
        option.isEmpty || option == "none" ? nil : option
    }
}

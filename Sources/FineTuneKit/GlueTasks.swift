// The GLUE tasks run_glue knows by name, and the text columns of each.

/// GLUE task names and their sentence columns (run_glue's `task_to_keys`).
public enum GlueTasks {
    /// The task names `--task_name` accepts.
    public static let names = ["cola", "sst2", "mrpc", "qqp", "stsb", "mnli", "qnli", "rte", "wnli"]

    /// The first and (for pair tasks) second text column of a task.
    public static func keys(_ task: String) -> (String, String?)? {
        switch task {
        case "cola", "sst2": return ("sentence", nil)
        case "mnli": return ("premise", "hypothesis")
        case "mrpc", "rte", "stsb", "wnli": return ("sentence1", "sentence2")
        case "qnli": return ("question", "sentence")
        case "qqp": return ("question1", "question2")
        default: return nil
        }
    }
}

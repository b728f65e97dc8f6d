import Corpus

/// Problems with a run as a whole (as opposed to one input file).
public enum ExecutionError: Error, CustomStringConvertible {
    /// The run folder holds a run of a different pipeline or different inputs.
    case runChanged(folder: String, detail: String)
    /// Documents went missing inside a task: a bug, never expected.
    case conservationViolated(task: String, detail: String)
    /// Some tasks failed; the others completed and are kept.
    case tasksFailed([(task: String, error: any Error)])

    public var description: String {
        switch self {
        case let .runChanged(folder, detail):
            return "\(folder): holds a run of a different pipeline or different inputs (\(detail)).\n"
                + "  hint: choose a new output.path, or pass --restart to delete the earlier run's results and start over"
        case let .conservationViolated(task, detail):
            return "task \(task): documents in != kept + dropped (\(detail)). This is a bug in Syllabus; please report it."
        case let .tasksFailed(failures):
            var text = "\(failures.count) task(s) failed:"
            for (task, error) in failures.prefix(20) { text += "\n- \(task): \(error)" }
            if failures.count > 20 { text += "\n- … and \(failures.count - 20) more" }
            text += "\nCompleted tasks are kept; fix the problem and run the same command again to finish the rest."
            return text
        }
    }
}

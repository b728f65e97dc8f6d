/// What to do with an input line that is not a valid document.
public enum ErrorPolicy: String, Sendable, CaseIterable, Codable {
    /// Stop the task with an error naming the file and line.
    case fail
    /// Count the line under its reason (`invalid_json`, `missing_text`, ...) and go on.
    case skip
}

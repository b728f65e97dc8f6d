import Corpus
import Execution
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A one-line live display of a run on stderr: tasks, documents/s, MB/s, ETA. Silent unless stderr is a terminal.
final class ProgressDisplay: @unchecked Sendable {
    private let counters: ProgressCounters
    private let label: String
    private let start = Date()
    private var timer: DispatchSourceTimer?
    let isEnabled: Bool

    init(counters: ProgressCounters, label: String, enabled: Bool = isatty(2) != 0) {
        self.counters = counters
        self.label = label
        self.isEnabled = enabled
    }

    func start(interval: Double = 0.5) {
        guard isEnabled else { return }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.draw() }
        timer.resume()
        self.timer = timer
    }

    /// Runs `body` with the display drawing, and clears it however `body` ends.
    static func showing<T>(_ counters: ProgressCounters, label: String, _ body: () throws -> T) rethrows -> T {
        let display = ProgressDisplay(counters: counters, label: label)
        display.start()
        defer { display.stop() }
        return try body()
    }

    func stop() {
        timer?.cancel()
        timer = nil
        if isEnabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    private func draw() {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + Self.line(counters.snapshot(), label: label, elapsed: Date().timeIntervalSince(start))).utf8))
    }

    /// The status line for a snapshot.
    static func line(_ s: ProgressCounters.Snapshot, label: String, elapsed: Double) -> String {
        let seconds = max(elapsed, 1e-3)
        let done = s.tasksDone + s.tasksSkipped
        var parts = ["\(label) \(done)/\(s.totalTasks) tasks"]
        if s.phases > 1 { parts[0] += " (pass \(s.phase)/\(s.phases))" }
        if s.tasksFailed > 0 { parts.append("\(s.tasksFailed) failed") }
        parts.append("\(Format.count(s.documents)) docs")
        parts.append("\(Format.count(Int(Double(s.documents) / seconds))) docs/s")
        parts.append(String(format: "%.1f MB/s", Double(s.textBytes) / 1e6 / seconds))
        if s.totalFileBytes > 0, s.fileBytes > 0 {
            let fraction = min(1, Double(s.fileBytes) / Double(s.totalFileBytes))
            let remaining = elapsed / fraction * (1 - fraction)
            parts.append(String(format: "%.0f%%", fraction * 100))
            parts.append("ETA \(Format.duration(remaining))")
        }
        return parts.joined(separator: " · ")
    }
}

import Corpus

/// A stretch of the pipeline that every task runs in one pass over its documents.
///
/// Corpus-wide steps (deduplication) cut the pipeline into segments. For steps
/// `[language, exact_dedup, gopher_quality]` there are two: the first runs `language` and shows the
/// survivors to `exact_dedup`'s collector (saving them for the next pass); after the merge, the second
/// runs `exact_dedup`'s decider, then `gopher_quality`, and writes the output.
struct PipelineSegment: Sendable, Equatable {
    /// Position among the pipeline's segments.
    var number: Int
    /// The corpus-wide step whose decider runs first (its phase 3), if any.
    var decides: Int?
    /// The ordinary steps that follow.
    var steps: Range<Int>
    /// The corpus-wide step whose collector sees what leaves this segment (its phase 1); nil for the last.
    var collects: Int?

    var isLast: Bool { collects == nil }

    /// Whether the documents this segment passes on are saved for the next one. A first segment that runs
    /// no step saves nothing: the next segment reads the input again, which costs less than a copy.
    var savesDocuments: Bool { !isLast && (decides != nil || !steps.isEmpty) }

    /// Whether this segment reads the pipeline's input (the first, or the one after a first that saved nothing).
    func readsInput(after previous: PipelineSegment?) -> Bool {
        guard let previous else { return true }
        return previous.number == 0 && !previous.savesDocuments
    }

    /// Indices of the steps that run in this segment, in order.
    var stepIndices: [Int] { (decides.map { [$0] } ?? []) + Array(steps) }

    static func plan(_ config: PipelineConfig) -> [PipelineSegment] {
        var segments: [PipelineSegment] = []
        var decides: Int?
        var start = 0
        for (index, step) in config.steps.enumerated() where step.factory is any CorpusWideStepFactory {
            segments.append(PipelineSegment(number: segments.count, decides: decides, steps: start..<index, collects: index))
            decides = index
            start = index + 1
        }
        segments.append(PipelineSegment(number: segments.count, decides: decides, steps: start..<config.steps.count, collects: nil))
        return segments
    }
}

extension PipelineSegment {
    /// "pass 1 (length, language → exact_dedup)": the steps the pass runs, then the step it collects for.
    func name(in config: PipelineConfig) -> String {
        var names = stepIndices.map { config.steps[$0].name }
        if let collects { names.append("→ " + config.steps[collects].name) }
        return "pass \(number + 1)" + (names.isEmpty ? "" : " (" + names.joined(separator: ", ") + ")")
    }
}

extension PipelineConfig {
    /// How a run goes, in order: each pass over all tasks, and the merge of each corpus-wide step.
    public var passes: [String] {
        var lines: [String] = []
        for segment in PipelineSegment.plan(self) {
            lines.append(segment.name(in: self))
            if let collects = segment.collects { lines.append("merge for \(steps[collects].name)") }
        }
        return lines
    }
}

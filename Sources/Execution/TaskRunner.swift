import Corpus

/// Runs one task: read its input, pass each document through the steps, write what is kept.
struct TaskRunner {
    let config: PipelineConfig
    let folder: RunFolder
    let progress: ProgressCounters?

    /// How often (in documents) the live counters are updated.
    private static let progressInterval = 256

    func run(_ task: PipelineTask) throws -> TaskResult {
        folder.removePartialOutputs(task)
        guard let input = config.inputs.first(where: { $0.name == task.source }) else {
            preconditionFailure("task \(task.id) names an unknown source")
        }
        let steps = try config.steps.map { try $0.factory.makeStep() }
        let stepNames = config.steps.map(\.factory.versionedName)
        var stats = PipelineStats(stepNames: stepNames)

        let reader = try JSONLReader(path: task.path, range: task.range, format: input.format, source: task.source)
        let encoder = DocumentEncoder(format: input.format)
        let output = config.output
        let writer = ShardedJSONLWriter(directory: "\(folder.outputFolder)/\(task.source)", baseName: task.stem,
                                        compression: output.compression, level: output.compressionLevel,
                                        limits: output.limits, encoder: encoder)
        let droppedWriter = output.keepDropped
            ? ShardedJSONLWriter(directory: "\(folder.droppedFolder)/\(task.source)", baseName: task.stem,
                                 compression: output.compression, level: output.compressionLevel,
                                 limits: output.limits, encoder: encoder)
            : nil

        var pendingDocuments = 0
        var pendingTextBytes = 0
        var reportedFileBytes = 0
        func report(force: Bool) {
            guard let progress, force || pendingDocuments >= Self.progressInterval else { return }
            progress.documents.add(pendingDocuments, ordering: .relaxed)
            progress.textBytes.add(pendingTextBytes, ordering: .relaxed)
            // A range task may read a little past its range to finish its last line.
            let consumed = min(reader.fileBytesConsumed, task.inputBytes)
            progress.fileBytes.add(consumed - reportedFileBytes, ordering: .relaxed)
            reportedFileBytes = consumed
            pendingDocuments = 0
            pendingTextBytes = 0
        }

        while let entry = try reader.next() {
            switch entry {
            case let .problem(problem, line, bytes):
                if config.onError == .fail {
                    throw CorpusError(.invalidRecord, path: task.path, line: line, message: problem.message,
                                      hint: "fix or remove that line, or set `on_error: skip` to count such lines under '\(problem.reason)' and go on")
                }
                stats.read.problems[problem.reason.rawValue, default: Counts()].add(bytes: bytes)
                if let droppedWriter {
                    var record = Document(id: "\(task.path):\(line)", text: "", source: task.source)
                    record.metadata["drop_reason"] = .string(problem.reason.rawValue)
                    record.metadata["error"] = .string(problem.message)
                    record.metadata["file"] = .string(task.path)
                    record.metadata["line"] = .int(line)
                    try droppedWriter.write(record)
                }
            case var .document(document):
                var bytes = document.textByteCount
                stats.read.documents.add(bytes: bytes)
                pendingDocuments += 1
                pendingTextBytes += bytes
                var dropped: (step: Int, reason: DropReason)?
                for (index, step) in steps.enumerated() {
                    stats.steps[index].input.add(bytes: bytes)
                    let verdict = step.process(&document)
                    bytes = document.textByteCount
                    if case let .drop(reason) = verdict {
                        stats.steps[index].dropped[reason.rawValue, default: Counts()].add(bytes: bytes)
                        dropped = (index, reason)
                        break
                    }
                    stats.steps[index].kept.add(bytes: bytes)
                }
                if let dropped {
                    if let droppedWriter {
                        document.metadata["drop_reason"] = .string(dropped.reason.rawValue)
                        document.metadata["drop_step"] = .string(stepNames[dropped.step])
                        try droppedWriter.write(document)
                    }
                } else {
                    try writer.write(document)
                    stats.written.add(bytes: bytes)
                }
                report(force: false)
            }
        }
        report(force: true)
        stats.read.blankLines = reader.blankLines
        stats.read.fileBytes = task.range?.count ?? reader.fileBytesConsumed

        let outputs = try writer.finish()
        let droppedOutputs = try droppedWriter?.finish() ?? []
        stats.files = outputs.count
        if let violation = stats.conservationViolation() {
            throw ExecutionError.conservationViolated(task: task.id, detail: violation)
        }
        let result = TaskResult(task: task.id, source: task.source, stats: stats,
                                outputs: outputs.map(folder.relative), droppedOutputs: droppedOutputs.map(folder.relative))
        try folder.writeCompletion(result, for: task)
        return result
    }
}

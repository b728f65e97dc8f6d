import Corpus

/// Runs one task through one segment of the pipeline: read its documents, pass each through the
/// segment's steps, and write what is kept (to the output, or for the next segment after a corpus-wide
/// step's collector has seen it).
struct TaskRunner {
    let config: PipelineConfig
    let folder: RunFolder
    let progress: ProgressCounters?
    let segment: PipelineSegment
    /// Each corpus-wide step's folder, by step index.
    let phaseFolders: [Int: String]
    /// Whether the segment reads the task's input file (else what the previous segment saved).
    let readsInput: Bool

    /// How often (in documents) the live counters are updated.
    private static let progressInterval = 256

    init(config: PipelineConfig, folder: RunFolder, progress: ProgressCounters?,
         segment: PipelineSegment = PipelineSegment(number: 0, decides: nil, steps: 0..<0, collects: nil),
         phaseFolders: [Int: String] = [:], readsInput: Bool = true) {
        self.config = config
        self.folder = folder
        self.progress = progress
        self.segment = segment
        self.phaseFolders = phaseFolders
        self.readsInput = readsInput
    }

    /// Where this segment's pass of `task` records that it is done.
    func completionPath(_ task: PipelineTask) -> String {
        guard let collects = segment.collects else { return folder.completionPath(task) }
        return folder.phaseCompletionPath(task, phaseFolder: phaseFolders[collects]!)
    }

    /// Runs the segment for `task`. `previous` is the task's result from the segment before (nil for the first).
    func run(_ task: PipelineTask, previous: TaskResult?) throws -> TaskResult {
        guard let input = config.inputs.first(where: { $0.name == task.source }) else {
            preconditionFailure("task \(task.id) names an unknown source")
        }
        let stepNames = config.steps.map(\.factory.versionedName)
        var steps: [(index: Int, step: any Step)] = []
        if let decides = segment.decides {
            let factory = config.steps[decides].factory as! any CorpusWideStepFactory
            steps.append((decides, try factory.makeDecider(task: task.index, folder: phaseFolders[decides]!)))
        }
        for index in segment.steps { steps.append((index, try config.steps[index].factory.makeStep())) }
        var collector: (any DocumentCollector)?
        if let collects = segment.collects {
            let factory = config.steps[collects].factory as! any CorpusWideStepFactory
            collector = try factory.makeCollector(task: task.index, folder: phaseFolders[collects]!)
        }

        var stats = PipelineStats(stepNames: stepNames)
        let output = config.output
        let encoder = DocumentEncoder(format: input.format)
        let keptFolder = segment.collects.map { phaseFolders[$0]! + "/documents" } ?? folder.outputFolder
        // Dropped documents of earlier segments get the segment number in their name, so none overwrites another.
        let droppedStem = segment.isLast ? task.stem : task.stem + "-s" + TaskPlanner.paddedIndex(segment.number, width: 2)
        folder.removePartialOutputs(task, folders: [keptFolder])
        folder.removePartialOutputs(task, stem: droppedStem, folders: [folder.droppedFolder])
        let writer = segment.isLast
            ? ShardedJSONLWriter(directory: "\(keptFolder)/\(task.source)", baseName: task.stem,
                                 compression: output.compression, level: output.compressionLevel,
                                 limits: output.limits, encoder: encoder)
            : ShardedJSONLWriter(directory: "\(keptFolder)/\(task.source)", baseName: task.stem,
                                 compression: .zstd, level: 1, limits: .init(maxDocuments: nil, maxBytes: 1 << 30), encoder: encoder)
        let droppedWriter = output.keepDropped
            ? ShardedJSONLWriter(directory: "\(folder.droppedFolder)/\(task.source)", baseName: droppedStem,
                                 compression: output.compression, level: output.compressionLevel,
                                 limits: output.limits, encoder: encoder)
            : nil

        let countsReading = segment.number == 0
        var pendingDocuments = 0
        var pendingTextBytes = 0
        var reportedFileBytes = 0
        var consumedBefore = 0
        func report(force: Bool, reader: JSONLReader) {
            guard let progress, countsReading, force || pendingDocuments >= Self.progressInterval else { return }
            progress.documents.add(pendingDocuments, ordering: .relaxed)
            progress.textBytes.add(pendingTextBytes, ordering: .relaxed)
            // A range task may read a little past its range to finish its last line.
            let consumed = min(consumedBefore + reader.fileBytesConsumed, task.inputBytes)
            progress.fileBytes.add(consumed - reportedFileBytes, ordering: .relaxed)
            reportedFileBytes = consumed
            pendingDocuments = 0
            pendingTextBytes = 0
        }

        // The first segment reads the task's input; later ones what the previous segment kept.
        let sources: [(path: String, range: Range<Int>?)]
        if readsInput {
            sources = [(task.path, task.range)]
        } else {
            sources = previous!.outputs.map { (folder.root + "/" + $0, nil) }
        }
        for source in sources {
            let reader = try JSONLReader(path: source.path, range: source.range, format: input.format, source: task.source)
            while let entry = try reader.next() {
                switch entry {
                case let .problem(problem, line, bytes):
                    // Reading the input a second time: the first pass counted (or refused) this line.
                    if readsInput && !countsReading { continue }
                    guard countsReading else {
                        throw CorpusError(.damagedPhaseFile, path: source.path, line: line, message: problem.message,
                                          hint: "a file saved between phases is damaged; run again with --restart")
                    }
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
                    if countsReading {
                        stats.read.documents.add(bytes: bytes)
                        pendingDocuments += 1
                        pendingTextBytes += bytes
                    }
                    var dropped: (step: Int, reason: DropReason)?
                    for (index, step) in steps {
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
                    } else if let collector {
                        try collector.collect(document)
                        if segment.savesDocuments {
                            // The next pass must see the same id, also when the input had none and it was made up.
                            let id = document.id
                            document.id = id
                            try writer.write(document)
                        }
                    } else {
                        try writer.write(document)
                        stats.written.add(bytes: bytes)
                    }
                    report(force: false, reader: reader)
                }
            }
            report(force: true, reader: reader)
            if countsReading {
                stats.read.blankLines += reader.blankLines
                stats.read.fileBytes += task.range?.count ?? reader.fileBytesConsumed
            }
            consumedBefore += reader.fileBytesConsumed
        }
        try collector?.finish()

        let outputs = try writer.finish()
        let droppedOutputs = try droppedWriter?.finish() ?? []
        var result = TaskResult(task: task.id, source: task.source, stats: stats,
                                outputs: outputs.map(folder.relative), droppedOutputs: droppedOutputs.map(folder.relative))
        if let previous {
            var merged = previous.stats
            merged.merge(stats)
            result.stats = merged
            result.droppedOutputs = previous.droppedOutputs + result.droppedOutputs
        }
        if segment.isLast {
            result.stats.files = outputs.count
            if let violation = result.stats.conservationViolation() {
                throw ExecutionError.conservationViolated(task: task.id, detail: violation)
            }
        }
        try folder.writeCompletion(result, to: completionPath(task))
        return result
    }
}

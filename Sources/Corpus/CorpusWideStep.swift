/// A step that must see the whole corpus before it can decide about any document: deduplication,
/// corpus-wide paragraph counts. The pipeline runs it in three phases, each a set of independent tasks
/// or one merge, so it works the same on one laptop and on a cluster:
///
/// 1. **collect** (once per task): every document that reaches the step, in order, is shown to a
///    collector, which writes what the merge needs (hashes, signatures) into the step's folder;
/// 2. **resolve** (once): reads every task's files and writes each task's decisions;
/// 3. **decide** (once per task): a step that sees the same documents in the same order and keeps,
///    drops or annotates each one.
///
/// Documents are identified by (task number, position among the documents the task's collector saw),
/// which does not depend on how many workers ran, so results are identical for any number of them.
public protocol CorpusWideStepFactory: StepFactory {
    /// Phase 1 for one task. `folder` is the step's own folder, shared by all tasks and phases.
    func makeCollector(task: Int, folder: String) throws -> any DocumentCollector
    /// Phase 2: `taskCount` tasks have finished phase 1. Returns what it found, for the run's report.
    func resolve(taskCount: Int, folder: String) throws -> CorpusWideReport
    /// Phase 3 for one task: a step that sees the documents its collector saw, in the same order.
    func makeDecider(task: Int, folder: String) throws -> any Step
    /// After phase 3: the report of phase 2 completed with what the deciders recorded (examples).
    func finishReport(_ report: CorpusWideReport, taskCount: Int, folder: String) throws -> CorpusWideReport
}

extension CorpusWideStepFactory {
    public func makeStep() throws -> any Step {
        throw CorpusError(.noInputs, path: versionedName, message: "\(versionedName) needs the whole corpus and runs as phases",
                          hint: "run it inside a pipeline (`syllabus curate`), which plans its phases")
    }

    public func finishReport(_ report: CorpusWideReport, taskCount: Int, folder: String) throws -> CorpusWideReport { report }
}

/// Sees one task's documents for a corpus-wide step (phase 1) and saves what the merge needs.
public protocol DocumentCollector: AnyObject {
    func collect(_ document: Document) throws
    /// Writes the task's files; called once after the last document.
    func finish() throws
}

/// What a corpus-wide step found over the whole corpus, shown by `syllabus stats`.
public struct CorpusWideReport: Sendable, Codable, Equatable {
    /// A cluster of duplicates, with the document kept and one that was removed (or changed).
    public struct Example: Sendable, Codable, Equatable {
        public struct Member: Sendable, Codable, Equatable {
            public var id: String
            public var source: String
            /// The start of the text.
            public var text: String

            public init(id: String, source: String, text: String) {
                self.id = id
                self.source = source
                self.text = text
            }
        }

        public var cluster: Int
        public var size: Int
        public var kept: Member?
        public var removed: Member?
        /// How alike the two are (Jaccard of their shingles) when the step measured it.
        public var similarity: Double?

        public init(cluster: Int, size: Int, kept: Member? = nil, removed: Member? = nil, similarity: Double? = nil) {
            self.cluster = cluster
            self.size = size
            self.kept = kept
            self.removed = removed
            self.similarity = similarity
        }
    }

    public var step: String
    /// Documents the step saw.
    public var documents: Int
    /// Groups of two or more documents found to be duplicates.
    public var clusters: Int
    /// Documents removed (or changed) because of them.
    public var removed: Int
    /// Clusters by size, in bins: "2", "3-4", "5-8", "9-16", … .
    public var clusterSizes: [String: Int]
    /// Further step-specific numbers (candidate pairs, pairs rejected by verification, paragraphs removed…).
    public var counters: [String: Int]
    public var examples: [Example]
    /// Decontamination: what was found of each benchmark.
    public var benchmarks: [BenchmarkMatches]?

    public init(step: String, documents: Int = 0, clusters: Int = 0, removed: Int = 0, clusterSizes: [String: Int] = [:],
                counters: [String: Int] = [:], examples: [Example] = [], benchmarks: [BenchmarkMatches]? = nil) {
        self.step = step
        self.documents = documents
        self.clusters = clusters
        self.removed = removed
        self.clusterSizes = clusterSizes
        self.counters = counters
        self.examples = examples
        self.benchmarks = benchmarks
    }

    /// The bin a cluster of `size` documents is counted in: "2", "3-4", "5-8", "9-16", … .
    public static func sizeBin(_ size: Int) -> String {
        if size <= 2 { return "2" }
        var upper = 4
        while upper < size { upper *= 2 }
        return "\(upper / 2 + 1)-\(upper)"
    }
}

/// What decontamination found of one benchmark in the corpus.
public struct BenchmarkMatches: Sendable, Codable, Equatable {
    /// A benchmark item found in a document.
    public struct Match: Sendable, Codable, Equatable {
        public var item: String
        public var document: String
        public var source: String

        public init(item: String, document: String, source: String) {
            self.item = item
            self.document = document
            self.source = source
        }
    }

    public var name: String
    public var path: String
    /// Items in the file, and how many could be indexed (the rest are too short or empty).
    public var items: Int
    public var indexed: Int
    /// Items found in at least one document, and documents holding at least one item.
    public var itemsFound: Int
    public var documents: Int
    /// A few of the matches (all of them are in the step's `matches.jsonl`).
    public var examples: [Match]

    public init(name: String, path: String, items: Int, indexed: Int, itemsFound: Int = 0, documents: Int = 0, examples: [Match] = []) {
        self.name = name
        self.path = path
        self.items = items
        self.indexed = indexed
        self.itemsFound = itemsFound
        self.documents = documents
        self.examples = examples
    }
}

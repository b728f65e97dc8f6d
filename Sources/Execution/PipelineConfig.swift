import Corpus

/// A pipeline as configured: named inputs, ordered steps, output, and how to run.
public struct PipelineConfig: Sendable {
    public struct Input: Sendable {
        public var name: String
        /// Glob patterns (`*`, `?`, `[...]`, `**` for any folders), absolute or relative to the pipeline file.
        public var patterns: [String]
        public var format: RecordFormat
        /// Where in the YAML this input is (for errors about its globs).
        public var keyPath: String
    }

    public struct ConfiguredStep: Sendable {
        public var name: String
        public var keyPath: String
        public var factory: any StepFactory
    }

    public struct Output: Sendable {
        public var path: String
        public var compression: Compression
        public var compressionLevel: Int?
        public var limits: ShardedJSONLWriter.Limits
        /// Also write dropped documents, with `drop_reason`, under `dropped/`.
        public var keepDropped: Bool
    }

    public var name: String
    public var inputs: [Input]
    public var steps: [ConfiguredStep]
    public var output: Output
    /// Worker threads; nil means one per core.
    public var workers: Int?
    public var onError: ErrorPolicy
    /// Uncompressed JSONL files larger than this are split into byte ranges of about this size.
    public var splitBytes: Int
    /// A digest of everything that determines the output (not `workers`), to refuse resuming a changed run.
    public var digest: String
}

import Corpus

/// One independent unit of work: a whole input file, or a byte range of a large uncompressed one.
public struct PipelineTask: Sendable, Codable, Equatable {
    /// Position in the plan (plans are sorted by source, then file, then range).
    public var index: Int
    public var source: String
    public var path: String
    /// Byte range of an uncompressed file; nil for the whole file.
    public var range: Range<Int>?
    /// File bytes this task reads (for progress and balancing).
    public var inputBytes: Int
    /// Stem of every file this task writes: `00003-c4_sample` or `00003-c4_sample-r0002`.
    public var stem: String

    /// A stable, readable id: `web/00003-c4_sample-r0002`.
    public var id: String { source + "/" + stem }
}

import Corpus

/// Keeps a deterministic fraction of documents, chosen by a seeded hash of the id.
///
/// The same id, fraction and seed always give the same answer, whatever the task split or worker count,
/// and a smaller fraction selects a subset of a larger one's documents.
public final class SampleStep: Step, Sendable {
    public static let definition = StepDefinition(
        name: "sample", summary: "keep a deterministic fraction of documents, by a seeded hash of the id"
    ) { (options) throws(ConfigError) in
        guard let fraction = try options.double("fraction", range: 0...1) else {
            throw options.error("fraction", "is required: the share of documents to keep, between 0 and 1")
        }
        let seed = try options.int("seed", range: 0...Int.max) ?? 0
        return SharedStepFactory(versionedName: "sample-v1", step: SampleStep(fraction: fraction, seed: UInt64(seed)))
    }

    public let fraction: Double
    public let seed: UInt64
    private let threshold: UInt64

    public init(fraction: Double, seed: UInt64 = 0) {
        self.fraction = fraction
        self.seed = seed
        // Keep when hash < fraction · 2^64; fraction 1 keeps everything.
        threshold = fraction >= 1 ? .max : UInt64((fraction * 18_446_744_073_709_551_616.0).rounded(.down))
    }

    public static func hash(id: String, seed: UInt64) -> UInt64 {
        Digest.xxh64(id, seed: seed)
    }

    public func process(_ document: inout Document) -> Verdict {
        if fraction >= 1 { return .keep }
        return Self.hash(id: document.id, seed: seed) < threshold ? .keep : .drop(.notSampled)
    }
}

extension DropReason {
    public static let notSampled = DropReason("not_sampled")
}

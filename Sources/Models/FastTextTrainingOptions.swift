/// The options of `fasttext supervised`, with its defaults.
public struct FastTextTrainingOptions: Sendable, Equatable {
    public enum Loss: String, Sendable, CaseIterable {
        case softmax
        case oneVsAll = "ova"
        case hierarchicalSoftmax = "hs"

        var stored: FastTextModel.Loss {
            switch self {
            case .softmax: return .softmax
            case .oneVsAll: return .oneVsAll
            case .hierarchicalSoftmax: return .hierarchicalSoftmax
            }
        }
    }

    /// Size of the word vectors (`-dim`).
    public var dimension = 100
    /// Passes over the examples (`-epoch`).
    public var epochs = 5
    /// Starting learning rate, decayed linearly to 0 over the tokens of all epochs (`-lr`).
    public var learningRate: Float = 0.1
    /// Length of the word n-grams hashed into buckets (`-wordNgrams`; 1: words only).
    public var wordNgrams = 1
    /// Words seen fewer times are left out of the dictionary (`-minCount`).
    public var minCount = 1
    /// Labels seen fewer times are left out (`-minCountLabel`).
    public var minCountLabel = 0
    /// Hash buckets for word and character n-grams (`-bucket`); 0 is used whatever it says when
    /// `wordNgrams <= 1` and `maxn == 0`, as fastText does.
    public var bucket = 2_000_000
    /// Character n-gram lengths, in UTF-8 characters of `<word>` (`-minn`, `-maxn`; 0: none).
    public var minn = 0
    public var maxn = 0
    public var loss = Loss.softmax
    /// Training threads (`-thread`). 1 is deterministic for a seed; more run Hogwild (lock-free updates of
    /// shared weights), faster but not reproducible.
    public var threads = 1
    /// Seeds the weights' initialisation and each thread's label choice (`-seed`).
    public var seed: UInt64 = 0
    /// Tokens a thread processes between updates of the shared progress that sets the rate (`-lrUpdateRate`).
    public var learningRateUpdateRate = 100

    public init() {}

    /// The bucket count the model gets (fastText's rule above).
    public var effectiveBucket: Int { wordNgrams <= 1 && maxn == 0 ? 0 : bucket }

    func validate() throws(FastTextTrainingError) {
        func check(_ ok: Bool, _ message: String, _ hint: String) throws(FastTextTrainingError) {
            if !ok { throw FastTextTrainingError(message, hint: hint) }
        }
        try check(dimension > 0 && dimension <= 4096, "dim is \(dimension)", "give a dimension from 1 to 4096 (fastText's default is 100)")
        try check(epochs > 0, "epoch is \(epochs)", "give at least 1 epoch")
        try check(learningRate > 0 && learningRate.isFinite, "lr is \(learningRate)", "give a positive learning rate (default 0.1; 0.1–1.0 is usual)")
        try check(wordNgrams >= 1, "wordNgrams is \(wordNgrams)", "give 1 (words only) or more")
        try check(minCount >= 0 && minCountLabel >= 0, "minCount \(minCount), minCountLabel \(minCountLabel)", "counts are 0 or more")
        try check(minn >= 0 && maxn >= 0 && (maxn == 0 || minn <= maxn) && (maxn == 0 || minn > 0), "minn \(minn), maxn \(maxn)",
                  "give 1 ≤ minn ≤ maxn (e.g. --minn 2 --maxn 4), or maxn 0 for no character n-grams")
        try check(bucket >= 0 && bucket <= Int(Int32.max), "bucket is \(bucket)", "give 0 to 2147483647 buckets")
        try check(effectiveBucket > 0 || (wordNgrams <= 1 && maxn == 0), "bucket is 0 with word or character n-grams",
                  "give buckets for the n-grams (fastText's default is 2000000)")
        try check(threads >= 1 && threads <= 1024, "threads is \(threads)", "give 1 (deterministic) or more (Hogwild)")
        try check(learningRateUpdateRate > 0, "lrUpdateRate is \(learningRateUpdateRate)", "give a positive number of tokens (default 100)")
    }
}

/// Training could not start: bad options or nothing to learn from.
public struct FastTextTrainingError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let hint: String

    public init(_ message: String, hint: String) {
        self.message = message
        self.hint = hint
    }

    public var description: String { "\(message)\n  hint: \(hint)" }
}

/// The 13 training arguments a fastText `.bin` stores after its magic and version (FORMATS.md §2.2).
struct FastTextArguments: Sendable, Equatable {
    var dim: Int32
    var ws: Int32 = 5
    var epoch: Int32
    var minCount: Int32
    var neg: Int32 = 5
    var wordNgrams: Int32
    var loss: Int32
    /// cbow 1, skipgram 2, supervised 3.
    var model: Int32 = 3
    var bucket: Int32
    var minn: Int32
    var maxn: Int32
    var lrUpdateRate: Int32
    var t: Double = 1e-4

    static let fieldNames = ["dim", "ws", "epoch", "minCount", "neg", "wordNgrams", "loss", "model", "bucket", "minn", "maxn", "lrUpdateRate"]

    var fields: [Int32] { [dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket, minn, maxn, lrUpdateRate] }

    init(dim: Int32, epoch: Int32, minCount: Int32, wordNgrams: Int32, loss: Int32, bucket: Int32, minn: Int32, maxn: Int32,
         lrUpdateRate: Int32) {
        self.dim = dim
        self.epoch = epoch
        self.minCount = minCount
        self.wordNgrams = wordNgrams
        self.loss = loss
        self.bucket = bucket
        self.minn = minn
        self.maxn = maxn
        self.lrUpdateRate = lrUpdateRate
    }

    init(fields: [Int32], t: Double) {
        precondition(fields.count == 12)
        dim = fields[0]; ws = fields[1]; epoch = fields[2]; minCount = fields[3]; neg = fields[4]; wordNgrams = fields[5]
        loss = fields[6]; model = fields[7]; bucket = fields[8]; minn = fields[9]; maxn = fields[10]; lrUpdateRate = fields[11]
        self.t = t
    }
}

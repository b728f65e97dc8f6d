/// How one document's token ids become one training sequence: `[BOS] ids EOS`.
public struct DocumentFraming: Sendable {
    public var bos: UInt32?
    public var eos: UInt32?

    public init(bos: UInt32? = nil, eos: UInt32?) {
        self.bos = bos
        self.eos = eos
    }

    /// EOS is the tokenizer's `<|endoftext|>` unless the caller names another (or none).
    public static func defaultEOS(of tokenizer: BPETokenizer) -> UInt32? {
        tokenizer.specialTokenID("<|endoftext|>")
    }

    /// Tokens the framing adds to each document.
    public var addedTokens: Int { (bos == nil ? 0 : 1) + (eos == nil ? 0 : 1) }

    public func sequence(_ ids: [UInt32]) -> [UInt32] {
        var sequence: [UInt32] = []
        sequence.reserveCapacity(ids.count + 2)
        if let bos { sequence.append(bos) }
        sequence += ids
        if let eos { sequence.append(eos) }
        return sequence
    }
}

/// One long document encoded on several threads: cut where the first pre-tokenizer step would start a
/// new piece anyway, each part encodes to exactly its share of the whole text's ids (pieces are merged
/// independently once cut). `BatchEncoder` uses it so one book does not leave the other threads idle.
extension TokenEncoder {
    /// Consecutive ranges covering `text`, about `every` bytes each, that `encode(utf8:part:into:)`
    /// encodes independently. The whole text as one range when that cannot be done: a normalizer (it
    /// sees the whole text) or a prefix-space step first (it applies to the text's start only).
    public func independentParts(of text: UnsafeBufferPointer<UInt8>, every: Int) throws(TokenizerError) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var start = 0
        try forEachIndependentCut(of: text, every: every) { cut in
            parts.append(start..<cut)
            start = cut
        }
        parts.append(start..<text.count)
        return parts
    }

    /// The cuts between `independentParts(of: text, every:)`, in order, each as soon as it is found
    /// (the first part can be encoded while later cuts are still being looked for). Each is at least
    /// `every` bytes after the one before it and before the text's end.
    public func forEachIndependentCut(of text: UnsafeBufferPointer<UInt8>, every: Int, _ found: (Int) -> Void) throws(TokenizerError) {
        let n = text.count
        guard n > every, case .none = tokenizer.normalization, let first = steps.first else { return }
        switch first {
        case let .split(matcher):
            try matcher.resumePoints(text, every: every, found)
        case let .digits(individual):
            // A forced resume point of the split after the digits: the split starts a piece there inside any
            // Digits piece (a line feed and a letter are no digits), found with memchr. Otherwise the first
            // Digits boundary: few in Chinese books (one stretch of 490k characters without a digit), which
            // is why the forced points come first.
            let forced = steps.count > 1 && { if case let .split(matcher) = steps[1] { matcher.findsForcedResumePoints } else { false } }()
            try ASCIISplitScanner.forEachCut(text, every: every, forced: forced, found) { _, target in
                PreTokenizerStage.firstDigitsBoundary(text, from: target, individual: individual)
            }
        case .prefixSpace:
            return
        }
    }

    /// Appends the ids of `text[part]`, a range from `independentParts(of: text, …)`. Special tokens are
    /// plain text (as `encode(utf8:allowSpecial: false, into:)`).
    public func encode(utf8 text: UnsafeBufferPointer<UInt8>, part: Range<Int>, into out: inout [UInt32]) throws(TokenizerError) {
        ids.removeAll(keepingCapacity: true)
        guard !part.isEmpty else { return }
        if part == 0..<text.count {
            return try encode(utf8: text, into: &out)
        }
        switch steps.first {
        case let .split(matcher):
            try matcher.split(text, in: part) { (range) throws(TokenizerError) in
                try runStage(1, UnsafeBufferPointer(rebasing: text[range]))
            }
        case let .digits(individual):
            let slice = UnsafeBufferPointer(rebasing: text[part])
            let end = part.upperBound
            // A part that ends inside a Digits piece ends at a forced resume point of the split that follows:
            // that split must see the character after the cut, as it does in the whole Digits piece (a line
            // feed at the end of its text is matched differently from one before a letter). Nothing past that
            // character decides a piece before the cut (`ASCIISplitScanner.forcedResumePoint`).
            let lookahead = end < text.count && !PreTokenizerStage.isDigitsBoundary(text, end, individual: individual)
                ? PreTokenizerStage.decodeScalar(text, at: end).1 : 0
            try PreTokenizerStage.splitDigits(slice, individual: individual) { (range) throws(TokenizerError) in
                guard lookahead > 0, range.upperBound == slice.count, case let .split(matcher) = steps[1] else {
                    return try runStage(1, UnsafeBufferPointer(rebasing: slice[range]))
                }
                let start = part.lowerBound + range.lowerBound
                let subject = UnsafeBufferPointer(rebasing: text[start..<(end + lookahead)])
                try matcher.split(subject, in: 0..<(end - start)) { (piece) throws(TokenizerError) in
                    precondition(piece.upperBound <= end - start, "a piece crosses a forced resume point")
                    try runStage(2, UnsafeBufferPointer(rebasing: subject[piece]))
                }
            }
        case .prefixSpace, nil:
            preconditionFailure("independentParts gives such texts as one part")
        }
        out.append(contentsOf: ids)
    }
}

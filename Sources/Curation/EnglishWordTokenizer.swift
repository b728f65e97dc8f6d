/// Words as datatrove 0.10.1 splits English text: spaCy 3.8's rule-based English tokenizer (`spacy.blank("en")`),
/// re-implemented over Unicode scalars, with whitespace-only tokens removed (datatrove's `strip_strings`).
///
/// The algorithm is spaCy's: split on whitespace; for each chunk strip prefixes and suffixes (checking
/// tokenizer exceptions after each cut), keep URLs whole, split the rest on infixes. The rule tables are
/// spaCy's English prefix, suffix and infix rules; the exceptions are in `EnglishTokenizerExceptions`.
/// Differences from spaCy are listed in `Tests/Fixtures/filters/NOTES.md` (lowercase/uppercase classes are
/// approximated outside ASCII, emoticon exceptions are left out, the multi-token special-case matcher is not run).
struct EnglishWordTokenizer {
    /// Appends the word ranges of `text[range]` to `words`. With `spaceTokens`, also appends the whitespace
    /// tokens spaCy makes (a whitespace run other than one plain space), as the sentencizer sees them.
    static func tokenize(_ text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, into words: inout [Range<Int>],
                         spaceTokens: Bool = false) {
        var i = range.lowerBound
        let end = range.upperBound
        let exceptions = EnglishTokenizerExceptions.table
        while i < end {
            if CharacterClasses.isSpace(text[i]) {
                let start = i
                while i < end && CharacterClasses.isSpace(text[i]) { i += 1 }
                if spaceTokens {
                    // spaCy attaches one plain space to the previous token; the rest is a token of its own.
                    let tokenStart = (start > range.lowerBound && text[start] == 0x20) ? start + 1 : start
                    if tokenStart < i { words.append(tokenStart..<i) }
                }
                continue
            }
            let chunk = scanChunk(text, i, end, stopsAtSpace: true)
            tokenizeChunk(text, i, chunk.end, exceptions, hash: chunk.hash, lettersOnly: chunk.lettersOnly, into: &words)
            i = chunk.end
        }
    }

    // MARK: One whitespace-free chunk

    /// From `start`: where the chunk ends (`limit`, or with `stopsAtSpace` the first whitespace before it),
    /// its exception-table hash and whether it is ASCII letters only, in one pass.
    @inline(__always)
    private static func scanChunk(_ s: UnsafeBufferPointer<UInt32>, _ start: Int, _ limit: Int,
                                  stopsAtSpace: Bool) -> (end: Int, hash: UInt64, lettersOnly: Bool) {
        var hash = EnglishTokenizerExceptions.Table.hashSeed
        var lettersOnly = true
        var i = start
        while i < limit {
            let c = s[i]
            if stopsAtSpace && CharacterClasses.isSpace(c) { break }
            hash = EnglishTokenizerExceptions.Table.hash(hash, c)
            lettersOnly = lettersOnly && (c | 0x20) &- 0x61 < 26
            i += 1
        }
        return (i, hash, lettersOnly)
    }

    static func tokenizeChunk(_ s: UnsafeBufferPointer<UInt32>, _ chunkStart: Int, _ chunkEnd: Int,
                              _ exceptions: EnglishTokenizerExceptions.Table = EnglishTokenizerExceptions.table,
                              into words: inout [Range<Int>]) {
        let chunk = scanChunk(s, chunkStart, chunkEnd, stopsAtSpace: false)
        tokenizeChunk(s, chunkStart, chunkEnd, exceptions, hash: chunk.hash, lettersOnly: chunk.lettersOnly, into: &words)
    }

    /// `tokenizeChunk` for a caller that found the chunk's exception-table `hash` and whether it is ASCII
    /// letters only while finding its end (`scanChunk`).
    static func tokenizeChunk(_ s: UnsafeBufferPointer<UInt32>, _ chunkStart: Int, _ chunkEnd: Int,
                              _ exceptions: EnglishTokenizerExceptions.Table, hash: UInt64, lettersOnly: Bool,
                              into words: inout [Range<Int>]) {
        if let pieces = exceptions.lookup(s, chunkStart, chunkEnd, hash: hash) {
            appendPieces(pieces, at: chunkStart, into: &words)
            return
        }
        // ASCII letters only: no prefix, suffix or infix rule applies, and no URL is made of letters alone.
        if lettersOnly {
            words.append(chunkStart..<chunkEnd)
            return
        }
        let first = words.count
        defer { if words.count - first >= 2 { mergeSpecialCases(s, from: first, exceptions, into: &words) } }
        var start = chunkStart
        var end = chunkEnd
        var suffixes: [Range<Int>] = []
        var lastSize = -1
        // spaCy's _split_affixes.
        while start < end && end - start != lastSize {
            if exceptions.lookup(s, start, end) != nil { break }
            lastSize = end - start
            let pre = prefixLength(s, start, end)
            if pre != 0, start + pre < end, exceptions.lookup(s, start + pre, end) != nil {
                words.append(start..<(start + pre))
                start += pre
                break
            }
            let suf = suffixLength(s, start + pre, end)
            if suf != 0, end - suf > start, exceptions.lookup(s, start, end - suf) != nil {
                suffixes.append((end - suf)..<end)
                end -= suf
                break
            }
            if pre != 0 && suf != 0 && pre + suf <= end - start {
                words.append(start..<(start + pre))
                suffixes.append((end - suf)..<end)
                start += pre
                end -= suf
            } else if pre != 0 {
                words.append(start..<(start + pre))
                start += pre
            } else if suf != 0 {
                suffixes.append((end - suf)..<end)
                end -= suf
            }
        }
        // spaCy's _attach_tokens.
        if start < end {
            if let pieces = exceptions.lookup(s, start, end) {
                appendPieces(pieces, at: start, into: &words)
            } else if isURL(s, start, end) {
                words.append(start..<end)
            } else {
                splitInfixes(s, start, end, into: &words)
            }
        }
        for suffix in suffixes.reversed() { words.append(suffix) }
    }

    /// spaCy's special-case matcher: adjacent tokens that together spell a tokenizer exception (`8` `)` → `8)`,
    /// `)` `:` → `):`, `'` `'` → `''`) become that exception's tokens; longer matches first, then earlier ones.
    private static func mergeSpecialCases(_ s: UnsafeBufferPointer<UInt32>, from first: Int, _ exceptions: EnglishTokenizerExceptions.Table,
                                          into words: inout [Range<Int>]) {
        // All the tokens together spell the whole chunk, which `tokenizeChunk` found no exception: with two
        // tokens (a word and its comma, say) nothing can merge, and the arrays below need not be made.
        guard words.count - first >= 3 else { return }
        let tokens = Array(words[first...])
        var chosen: [(start: Int, end: Int, pieces: [Int])] = []
        var taken = [Bool](repeating: false, count: tokens.count)
        let maxLength = exceptions.maxLength
        for span in stride(from: tokens.count, through: 2, by: -1) {
            var i = 0
            while i + span <= tokens.count {
                let range = tokens[i].lowerBound..<tokens[i + span - 1].upperBound
                if range.count <= maxLength, !(i..<(i + span)).contains(where: { taken[$0] }),
                   let pieces = exceptions.lookup(s, range.lowerBound, range.upperBound) {
                    chosen.append((i, i + span, pieces))
                    for k in i..<(i + span) { taken[k] = true }
                    i += span
                } else {
                    i += 1
                }
            }
        }
        guard !chosen.isEmpty else { return }
        chosen.sort { $0.start < $1.start }
        words.removeSubrange(first...)
        var i = 0
        for match in chosen {
            while i < match.start {
                words.append(tokens[i])
                i += 1
            }
            appendPieces(match.pieces, at: tokens[match.start].lowerBound, into: &words)
            i = match.end
        }
        while i < tokens.count {
            words.append(tokens[i])
            i += 1
        }
    }

    private static func appendPieces(_ pieces: [Int], at start: Int, into words: inout [Range<Int>]) {
        var position = start
        for length in pieces {
            words.append(position..<(position + length))
            position += length
        }
    }

    // MARK: Prefixes

    /// Length of the prefix spaCy's English prefix rules find at `start` (alternatives in spaCy's order).
    static func prefixLength(_ s: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int) -> Int {
        let c = s[start]
        let next: UInt32 = start + 1 < end ? s[start + 1] : 0
        switch c {
        case 0xA7, 0x25, 0x3D, 0x2014, 0x2013: return 1  // § % = — –
        case 0x2B: return isASCIIDigit(next) ? 0 : 1     // \+(?![0-9])
        default: break
        }
        if isPunctChar(c) { return 1 }
        if c == 0x2E && next == 0x2E {                     // \.\.+
            var i = start
            while i < end && s[i] == 0x2E { i += 1 }
            return i - start
        }
        if isQuote(c) || isCurrencySymbol(c) { return 1 }
        if c == 0x55 && next == 0x53 && start + 2 < end && s[start + 2] == 0x24 { return 3 }  // US$
        if (c == 0x43 || c == 0x41) && next == 0x24 { return 2 }                               // C$ A$
        if c >= 0xA6 && CharacterClasses.spacyIcons.contains(c) { return 1 }
        return 0
    }

    // MARK: Suffixes

    /// Length of the suffix spaCy's English suffix rules find at the end (the longest one, as `re.search`
    /// with `$` finds the leftmost start).
    static func suffixLength(_ s: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int) -> Int {
        guard start < end else { return 0 }
        let length = end - start
        let last = s[end - 1]
        var best = 0
        if last == 0x2E {
            var i = end
            while i > start && s[i - 1] == 0x2E { i -= 1 }
            if end - i >= 2 { best = end - i }  // \.\.+
            if length >= 2 {
                let before = s[end - 2]
                if isASCIIDigit(before) || isSpacyLower(before) || isPeriodLookbehindExtra(before) {
                    best = max(best, 1)
                } else if length >= 3 && isSpacyUpper(before) && isSpacyUpper(s[end - 3]) {
                    best = max(best, 1)
                } else if length >= 3 && s[end - 3] == 0xB0 && "FfCcKk".unicodeScalars.contains(where: { $0.value == before }) {
                    best = max(best, 1)
                }
            }
        }
        if last == 0x2026 && length >= 2 && s[end - 2] == 0x2026 { best = max(best, 2) }  // ……
        if length >= 2 && (last == 0x73 || last == 0x53) && (s[end - 2] == 0x27 || s[end - 2] == 0x2019) {
            // 's 'S ’s ’S
            best = max(best, 2)
        }
        if last == 0x2B && length >= 2 && isASCIIDigit(s[end - 2]) { best = max(best, 1) }
        best = max(best, unitOrCurrencyAfterDigit(s, start, end))
        if best == 0 && (isPunctChar(last) || isQuote(last) || last == 0x2014 || last == 0x2013
                         || (last >= 0xA6 && CharacterClasses.spacyIcons.contains(last))) {
            best = 1
        }
        return best
    }

    /// Units and currency symbols right after an ASCII digit (`(?<=[0-9])(?:UNITS|CURRENCY)`).
    private static func unitOrCurrencyAfterDigit(_ s: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int) -> Int {
        // Most chunks end with a character no unit ends with ("2019,", "3.5"): answered from two literal words.
        let last = s[end - 1]
        if last < 0x80 && !endsAUnit(last) { return 0 }
        // Units are at most 6 characters: without a digit just before the last 6, nothing can match.
        var hasDigit = false
        for i in max(start, end - 7)..<(end - 1) where isASCIIDigit(s[i]) {
            hasDigit = true
            break
        }
        guard hasDigit else { return 0 }
        var best = 0
        let unitScalars = Self.unitScalars
        for unit in unitScalars where unit.count < end - start && unit.count > best {
            let from = end - unit.count
            guard isASCIIDigit(s[from - 1]) else { continue }
            var matches = true
            for (k, u) in unit.enumerated() where s[from + k] != u {
                matches = false
                break
            }
            if matches { best = unit.count }
        }
        return best
    }

    /// Whether an ASCII character ends some entry of `unitScalars` (`$%BGKMTabdghmnrstz`): bit c of
    /// `unitEndsLow` for c < 64, bit c − 64 of `unitEndsHigh` above. Literals, so no lazy initialisation;
    /// a test rebuilds them from `unitScalars`.
    @inline(__always)
    static func endsAUnit(_ c: UInt32) -> Bool {
        c < 64 ? unitEndsLow >> UInt64(c) & 1 != 0 : unitEndsHigh >> UInt64(c &- 64) & 1 != 0
    }
    static let unitEndsLow: UInt64 = 0x0000_0030_0000_0000
    static let unitEndsHigh: UInt64 = 0x041C_6196_0010_2884

    static let unitScalars: [[UInt32]] = {
        let units = """
            km km² km³ m m² m³ dm dm² dm³ cm cm² cm³ mm mm² mm³ ha µm nm yd in ft kg g mg µg t lb oz m/s km/h kmh \
            mph hPa Pa mbar mb MB kb KB gb GB tb TB T G M K % км км² км³ м м² м³ дм дм² дм³ см см² см³ мм мм² \
            мм³ нм кг г мг м/с км/ч кПа Па мбар Кб КБ кб Мб МБ мб Гб ГБ гб Тб ТБ كم² كم³ م م² م³ سم سم² سم³ مم \
            مم² مم³ كم غرام جرام جم كغ ملغ كوب اكواب \
            $ £ € ¥ ฿ US$ C$ A$ ₽ ﷼ ₴ ₠ ₡ ₢ ₣ ₤ ₥ ₦ ₧ ₨ ₩ ₪ ₫ ₭ ₮ ₯ ₰ ₱ ₲ ₳ ₵ ₶ ₷ ₸ ₹ ₺ ₻ ₼ ₾ ₿
            """
        return units.split(separator: " ").map { $0.unicodeScalars.map(\.value) }
    }()

    // MARK: Infixes

    /// Splits at spaCy's English infixes (`finditer`; a match at position 0 is not split off).
    static func splitInfixes(_ s: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int, into words: inout [Range<Int>]) {
        var piece = start
        var i = start
        while i < end {
            let matchEnd = infixMatch(s, i, start, end)
            if matchEnd > i {
                if i != start {
                    if i != piece { words.append(piece..<i) }
                    words.append(i..<matchEnd)
                    piece = matchEnd
                }
                i = matchEnd
            } else {
                i += 1
            }
        }
        if piece < end { words.append(piece..<end) }
    }

    /// End of the infix matching at `i`, or `i` when none does.
    @inline(__always)
    private static func infixMatch(_ s: UnsafeBufferPointer<UInt32>, _ i: Int, _ start: Int, _ end: Int) -> Int {
        let c = s[i]
        let prev: UInt32 = i > start ? s[i - 1] : 0
        let next: UInt32 = i + 1 < end ? s[i + 1] : 0
        // Fast path: letters and digits are never infixes.
        if c < 0x80 && (isASCIIDigit(c) || (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A) { return i }
        if c == 0x2E && next == 0x2E {
            var j = i
            while j < end && s[j] == 0x2E { j += 1 }
            return j
        }
        if c == 0x2026 { return i + 1 }
        if c >= 0x80 && CharacterClasses.spacyIcons.contains(c) { return i + 1 }
        guard i > start else { return i }
        if (c == 0x2B || c == 0x2D || c == 0x2A || c == 0x5E) && isASCIIDigit(prev) && (isASCIIDigit(next) || next == 0x2D) {
            return i + 1
        }
        if c == 0x2E && (isSpacyLower(prev) || isQuote(prev)) && (isSpacyUpper(next) || isQuote(next)) { return i + 1 }
        let prevAlpha = isSpacyAlpha(prev)
        if c == 0x2C && prevAlpha && isSpacyAlpha(next) { return i + 1 }
        if prevAlpha || isASCIIDigit(prev) {
            // (?:-|–|—|--|---|——|~)(?=[a]), alternatives in order.
            for hyphen in hyphens where i + hyphen.count < end {
                var matches = true
                for (k, h) in hyphen.enumerated() where s[i + k] != h {
                    matches = false
                    break
                }
                if matches && isSpacyAlpha(s[i + hyphen.count]) { return i + hyphen.count }
            }
            if (c == 0x3A || c == 0x3C || c == 0x3E || c == 0x3D || c == 0x2F) && isSpacyAlpha(next) { return i + 1 }
        }
        return i
    }

    private static let hyphens: [[UInt32]] = [[0x2D], [0x2013], [0x2014], [0x2D, 0x2D], [0x2D, 0x2D, 0x2D], [0x2014, 0x2014], [0x7E]]

    // MARK: URLs

    /// spaCy's `URL_MATCH` for a whole chunk: optional scheme and user info, a host (dotted labels and a
    /// lowercase TLD of 2–63 letters, or an IPv4 address), optional port, optional path.
    static func isURL(_ s: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int) -> Bool {
        var hostStart = start
        // Scheme: [\w+\-.]{2,}://
        var i = start
        while i < end && (isWordChar(s[i]) || s[i] == 0x2B || s[i] == 0x2D || s[i] == 0x2E) { i += 1 }
        if i - start >= 2 && i + 2 < end && s[i] == 0x3A && s[i + 1] == 0x2F && s[i + 2] == 0x2F {
            hostStart = i + 3
        }
        if hostMatches(s, hostStart, end) { return true }
        // User info: \S+(?::\S*)?@ — any '@' after at least one character.
        var at = end - 1
        while at > hostStart {
            if s[at] == 0x40 && hostMatches(s, at + 1, end) { return true }
            at -= 1
        }
        if hostStart != start { return false }
        return false
    }

    private static func hostMatches(_ s: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int) -> Bool {
        var hostEnd = start
        while hostEnd < end {
            let c = s[hostEnd]
            if c == 0x3A || c == 0x2F || c == 0x3F || c == 0x23 { break }
            hostEnd += 1
        }
        guard hostEnd > start, domainMatches(s, start, hostEnd) || ipv4Matches(s, start, hostEnd) else { return false }
        var i = hostEnd
        if i < end && s[i] == 0x3A {
            var j = i + 1
            while j < end && isASCIIDigit(s[j]) { j += 1 }
            let digits = j - i - 1
            if digits >= 2 && digits <= 5 && (j == end || s[j] == 0x2F || s[j] == 0x3F || s[j] == 0x23) {
                i = j
            } else {
                return false
            }
        }
        return i == end || s[i] == 0x2F || s[i] == 0x3F || s[i] == 0x23
    }

    private static func isLabelChar(_ c: UInt32) -> Bool {
        (c < 0x80 && (isASCIIDigit(c) || (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A)) || (c >= 0xA1 && c <= 0xFFFF)
    }

    private static func domainMatches(_ s: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int) -> Bool {
        var lastDot = -1
        var i = end - 1
        while i >= start {
            if s[i] == 0x2E { lastDot = i; break }
            i -= 1
        }
        guard lastDot > start else { return false }
        let tld = end - lastDot - 1
        guard tld >= 2 && tld <= 63 else { return false }
        for k in (lastDot + 1)..<end where !isSpacyLower(s[k]) { return false }
        // Labels: [alnum]([alnum_-]{0,62}[alnum])? each followed by a dot.
        var labelStart = start
        var k = start
        while k <= lastDot {
            if s[k] == 0x2E {
                let length = k - labelStart
                guard length >= 1 && length <= 64, isLabelChar(s[labelStart]), isLabelChar(s[k - 1]) else { return false }
                labelStart = k + 1
            } else if !(isLabelChar(s[k]) || s[k] == 0x5F || s[k] == 0x2D) {
                return false
            }
            k += 1
        }
        return true
    }

    private static func ipv4Matches(_ s: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int) -> Bool {
        var parts: [Int] = []
        var value = -1
        var digits = 0
        for k in start..<end {
            let c = s[k]
            if isASCIIDigit(c) {
                value = max(value, 0) * 10 + Int(c - 0x30)
                digits += 1
                if digits > 3 { return false }
            } else if c == 0x2E {
                if value < 0 { return false }
                parts.append(value)
                value = -1
                digits = 0
            } else {
                return false
            }
        }
        if value < 0 { return false }
        parts.append(value)
        guard parts.count == 4, parts.allSatisfy({ $0 <= 255 }), parts[0] >= 1, parts[0] <= 223, parts[3] >= 1 else { return false }
        // Private and local networks are excluded.
        if parts[0] == 10 || parts[0] == 127 || (parts[0] == 169 && parts[1] == 254) || (parts[0] == 192 && parts[1] == 168)
            || (parts[0] == 172 && parts[1] >= 16 && parts[1] <= 31) {
            return false
        }
        return true
    }

    // MARK: Character classes

    @inline(__always) static func isASCIIDigit(_ c: UInt32) -> Bool { c >= 0x30 && c <= 0x39 }

    /// `\w` of Python's `re`: letters, digits and underscore.
    private static func isWordChar(_ c: UInt32) -> Bool {
        if c < 0x80 { return isASCIIDigit(c) || (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A || c == 0x5F }
        guard let scalar = Unicode.Scalar(c) else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    @inline(__always) static func isSpacyAlpha(_ c: UInt32) -> Bool {
        if c < 0x80 { return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
        return CharacterClasses.spacyAlpha.contains(c)
    }

    /// spaCy's `ALPHA_LOWER`: lowercase letters of its alphabets, and every letter of its uncased scripts.
    @inline(__always) static func isSpacyLower(_ c: UInt32) -> Bool {
        if c < 0x80 { return c >= 0x61 && c <= 0x7A }
        guard CharacterClasses.spacyAlpha.contains(c), let scalar = Unicode.Scalar(c) else { return false }
        return !scalar.properties.isUppercase
    }

    /// spaCy's `ALPHA_UPPER`: uppercase letters of its alphabets, and every letter of its uncased scripts.
    @inline(__always) static func isSpacyUpper(_ c: UInt32) -> Bool {
        if c < 0x80 { return c >= 0x41 && c <= 0x5A }
        guard CharacterClasses.spacyAlpha.contains(c), let scalar = Unicode.Scalar(c) else { return false }
        return !scalar.properties.isLowercase
    }

    /// The rest of the look-behind class of the suffix rule for `.`: `%²-+`, spaCy's `PUNCT` characters
    /// (with `|`), its quotes, and the characters `(?:)` that its pattern puts inside the class.
    private static func isPeriodLookbehindExtra(_ c: UInt32) -> Bool {
        switch c {
        case 0x25, 0xB2, 0x2D, 0x2B, 0x7C, 0x28, 0x3F, 0x3A, 0x29: return true
        default: return isPunctChar(c) || isQuote(c)
        }
    }

    /// spaCy's `LIST_PUNCT` single characters.
    @inline(__always) static func isPunctChar(_ c: UInt32) -> Bool {
        switch c {
        case 0x2026, 0x2C, 0x3A, 0x3B, 0x21, 0x3F, 0xBF, 0x61F, 0xA1, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x3C, 0x3E,
             0x5F, 0x23, 0x2A, 0x26, 0x3002, 0xFF1F, 0xFF01, 0xFF0C, 0x3001, 0xFF1B, 0xFF1A, 0xFF5E, 0xB7, 0x964,
             0x60C, 0x6D4, 0x61B, 0x66A:
            return true
        default: return false
        }
    }

    /// spaCy's `LIST_QUOTES`.
    @inline(__always) static func isQuote(_ c: UInt32) -> Bool {
        switch c {
        case 0x22, 0x27, 0x2C, 0x60, 0xAB, 0xB4, 0xBB, 0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x201E, 0x2329, 0x232A,
             0x27E6, 0x27E7, 0x3008...0x3011, 0x3014, 0x3015, 0xFF08, 0xFF09:
            return true
        default: return false
        }
    }

    /// spaCy's single-character currency symbols.
    @inline(__always) static func isCurrencySymbol(_ c: UInt32) -> Bool {
        switch c {
        case 0x24, 0xA3, 0x20AC, 0xA5, 0xE3F, 0x20BD, 0xFDFC, 0x20B4, 0x20A0...0x20AB, 0x20AD...0x20BF:
            return true
        default: return false
        }
    }
}

/// The special cases of spaCy's English tokenizer that change word counts: contractions split into parts
/// (`don't` → `do` `n't`, `dont` → `do` `nt`, `I'm` → `I` `'m`), times (`10am` → `10` `am`), and strings kept
/// whole although the affix rules would cut them (`Mr.`, `e.g.`, `and/or`, `'s`).
///
/// Built the way spaCy builds its table: stems × contraction endings, in lowercase and capitalized
/// spellings, with `'` and `’`. Looked up without allocating: by a hash of the scalars, then compared.
enum EnglishTokenizerExceptions {
    struct Entry: Sendable {
        let scalars: [UInt32]
        let pieces: [Int]
    }

    /// The lengths of the parts `s[start..<end]` splits into, when it is a special case. `s` holds Unicode
    /// scalars, or bytes of ASCII text. Hot loops read `table` once and call its `lookup` (each read of a
    /// lazily made static is a `swift_once` call).
    @inline(__always)
    static func lookup<Unit: FixedWidthInteger>(_ s: UnsafeBufferPointer<Unit>, _ start: Int, _ end: Int) -> [Int]? {
        table.lookup(s, start, end)
    }

    struct Table: Sendable {
        var entries: [UInt64: [Entry]] = [:]
        var maxLength = 0
        /// Bit `hash & 0xFFFF` is set for every entry's hash.
        var filter = [UInt64](repeating: 0, count: 1024)

        /// See `EnglishTokenizerExceptions.lookup`.
        @inline(__always)
        func lookup<Unit: FixedWidthInteger>(_ s: UnsafeBufferPointer<Unit>, _ start: Int, _ end: Int) -> [Int]? {
            let length = end - start
            guard length > 0 && length <= maxLength else { return nil }
            var hash = Self.hashSeed
            for i in start..<end { hash = Self.hash(hash, s[i]) }
            return lookup(s, start, end, hash: hash)
        }

        static let hashSeed: UInt64 = 0xcbf29ce484222325

        /// One step of the hash `lookup` takes (FNV-1a over the scalars), for callers that hash while
        /// scanning the characters for something else.
        @inline(__always)
        static func hash<Unit: FixedWidthInteger>(_ hash: UInt64, _ c: Unit) -> UInt64 { (hash ^ UInt64(c)) &* 0x100000001b3 }

        /// `lookup` for a caller that hashed `s[start..<end]` itself (`hash`, from `hashSeed`).
        @inline(__always)
        func lookup<Unit: FixedWidthInteger>(_ s: UnsafeBufferPointer<Unit>, _ start: Int, _ end: Int, hash: UInt64) -> [Int]? {
            let length = end - start
            guard length > 0 && length <= maxLength else { return nil }
            // Almost no word is a special case: a 64 Kibit filter answers those without hashing into the dictionary.
            let bit = Int(truncatingIfNeeded: hash & 0xFFFF)
            guard filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { return nil }
            guard let candidates = entries[hash] else { return nil }
            for entry in candidates where entry.scalars.count == length {
                var equal = true
                for k in 0..<length where entry.scalars[k] != UInt32(truncatingIfNeeded: s[start + k]) {
                    equal = false
                    break
                }
                if equal { return entry.pieces }
            }
            return nil
        }

        mutating func add(_ parts: [String]) {
            let scalars = parts.flatMap { $0.unicodeScalars.map(\.value) }
            var hash = Self.hashSeed
            for c in scalars { hash = Self.hash(hash, c) }
            if entries[hash]?.contains(where: { $0.scalars == scalars }) == true { return }
            entries[hash, default: []].append(Entry(scalars: scalars, pieces: parts.map { $0.unicodeScalars.count }))
            maxLength = max(maxLength, scalars.count)
            let bit = Int(truncatingIfNeeded: hash & 0xFFFF)
            filter[bit >> 6] |= 1 << UInt64(bit & 63)
        }

        /// Adds the parts in lowercase and with the first letter capitalized, each with `'` and with `’`.
        mutating func addVariants(_ parts: [String]) {
            for apostrophe: Character in ["'", "\u{2019}"] {
                let lower = parts.map { String($0.map { $0 == "'" ? apostrophe : $0 }) }
                add(lower)
                var capitalized = lower
                capitalized[0] = capitalized[0].prefix(1).uppercased() + capitalized[0].dropFirst()
                add(capitalized)
            }
        }
    }

    static let table: Table = {
        var table = Table()
        // Negations: do n't, do n't 've, and the same without apostrophes.
        let negationsWithHave = ["ca", "could", "did", "do", "does", "had", "may", "might", "must", "need", "ought",
                                 "sha", "should", "wo", "would"]
        for stem in negationsWithHave + ["ai", "are", "dare", "has", "have", "is", "was", "were"] {
            table.addVariants([stem, "n't"])
            table.addVariants([stem, "nt"])
        }
        for stem in negationsWithHave {
            table.addVariants([stem, "n't", "'ve"])
            table.addVariants([stem, "nt", "ve"])
        }
        for stem in ["could", "might", "must", "should", "would", "not"] {
            table.addVariants([stem, "'ve"])
            table.addVariants([stem, "ve"])
        }
        // Pronouns and question words with 'd, 'll, 're, 's, 've, 'm.
        let endings: [(stems: [String], endings: [[String]])] = [
            (["he", "she", "it", "that", "this"], [["'d"], ["'d", "'ve"], ["'ll"], ["'ll", "'ve"], ["'s"]]),
            (["i"], [["'d"], ["'d", "'ve"], ["'ll"], ["'ll", "'ve"], ["'m"], ["'m", "a"], ["'ve"]]),
            (["we", "you", "they", "these", "those"], [["'d"], ["'d", "'ve"], ["'ll"], ["'ll", "'ve"], ["'re"], ["'ve"]]),
            (["how", "what", "when", "where", "who", "why", "there"],
             [["'d"], ["'d", "'ve"], ["'ll"], ["'ll", "'ve"], ["'re"], ["'s"], ["'ve"]]),
            (["let"], [["'s"]]),
        ]
        // Without apostrophes these are ordinary words, and spaCy leaves them alone.
        let words: Set<String> = ["hell", "shed", "shell", "ill", "well", "its", "lets", "whore", "were"]
        for group in endings {
            for stem in group.stems {
                for ending in group.endings {
                    table.addVariants([stem] + ending)
                    let bare = [stem] + ending.map { $0.filter { $0 != "'" } }
                    if !words.contains(bare.joined()) { table.addVariants(bare) }
                }
            }
        }
        table.addVariants(["how", "'d", "'y"])
        for parts in [["can", "not"], ["gon", "na"], ["got", "ta"], ["y'", "all"], ["y", "all"], ["c'm", "on"]] {
            table.addVariants(parts)
        }
        // Times: 10am → 10 am.
        for hour in 1...12 {
            for suffix in ["am", "pm", "a.m.", "p.m."] { table.add(["\(hour)", suffix]) }
        }
        // Degrees with a period: °c. → ° c .
        for unit in ["c", "f", "k", "C", "F", "K"] { table.add(["°", unit, "."]) }
        // Kept whole.
        let whole = """
            Adm. Ak. Ala. Apr. Ariz. Ark. Aug. Bros. Calif. Co. Colo. Conn. Corp. D.C. Dec. Del. Dr. Feb. Fla. Ga. \
            Gen. Gov. Ia. Id. Ill. Inc. Ind. Jan. Jr. Jul. Jun. Kan. Kans. Ky. La. Ltd. Mar. Mass. Md. Messrs. Mich. \
            Minn. Miss. Mo. Mont. Mr. Mrs. Ms. Mt. N.C. N.D. N.H. N.J. N.M. N.Y. Neb. Nebr. Nev. Nov. Oct. Okla. \
            Ore. Pa. Prof. Rep. Rev. S.C. Sen. Sep. Sept. St. Tenn. Va. Wash. Wis. \
            a.m. p.m. e.g. E.g. E.G. i.e. I.e. I.E. co. vs. v.s. Ph.D. C++ and/or w/o ä. ö. ü. '' ’’ ' ’ \
            \\") <space> \\n \\t
            """
        // Emoticons (spaCy keeps them whole; "8)" and "):" occur in ordinary text, after a number or a bracket).
        let emoticons = """
            (*_*) (-8 (-: (-; (-_-) (._.) (: (; (= (>_<) (^_^) (o: (¬_¬) (ಠ_ಠ) (╯°□°）╯︵┻━┻ )-: ): -_- -__- ._. 0.0 \
            0.o 0_0 0_o 8) 8-) 8-D 8D :'( :') :'-( :'-) :( :(( :((( :() :) :)) :))) :* :-( :-(( :-((( :-) :-)) :-))) \
            :-* :-/ :-0 :-3 :-> :-D :-O :-P :-X :-] :-o :-p :-x :-| :-} :/ :0 :1 :3 :> :D :O :P :X :] :o :o) :p :x \
            :| :} :’( :’) :’-( :’-) ;) ;-) ;-D ;D ;_; <.< </3 <3 <33 <333 =( =) =/ =3 =D =[ =] =| >.< >.> >:( >:o \
            ><(((*> @_@ [-: [: [= ]= ^_^ ^__^ ^___^ ¯\\(ツ)/¯ O.O O.o O_O O_o V.V V_V XD XDD o.0 o.O o.o o_0 o_O \
            o_o v.v v_v xD xDD ಠ_ಠ ಠ︵ಠ
            """
        for item in emoticons.split(separator: " ") { table.add([String(item)]) }
        for item in whole.split(separator: " ") { table.add([String(item)]) }
        for letter in "abcdefghijklmnopqrstuvwxyz" { table.add(["\(letter)."]) }
        for item in ["'s", "'S", "'d", "'ll", "'re", "'ve", "'m", "'em", "'nuff", "'bout", "'cause", "'cos", "'coz",
                     "'cuz", "o'clock", "ma'am", "doin'", "goin'", "havin'", "lovin'", "nothin'", "nuthin'",
                     "somethin'", "ol'"] {
            table.addVariants([item])
        }
        return table
    }()
}

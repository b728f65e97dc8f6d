/// Character classes of the rules datatrove's filters use (Python's `str` predicates, datatrove's punctuation
/// sets) and of spaCy's English tokenizer that datatrove uses for words, over Unicode scalar values.
///
/// The spaCy classes are its `char_classes` (spaCy 3.8, MIT) as code point ranges, computed by matching each
/// class against every code point; datatrove's sets are its `PUNCTUATION` and `TERMINAL_PUNCTUATION`
/// (datatrove 0.10.1, Apache-2.0). Tests check the sets against the lists in `Tests/Fixtures/filters/`.
enum CharacterClasses {
    // MARK: Python str predicates

    /// Python's `str.isspace()` (what `split()` and `strip()` use).
    @inline(__always)
    static func isSpace(_ c: UInt32) -> Bool {
        if c < 0x80 { return c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) }
        switch c {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// A line boundary of Python's `str.splitlines()` (`\r\n` counts once; the caller handles it).
    @inline(__always)
    static func isLineBreak(_ c: UInt32) -> Bool {
        if c < 0x80 { return (c >= 0x0A && c <= 0x0D) || (c >= 0x1C && c <= 0x1E) }
        return c == 0x85 || c == 0x2028 || c == 0x2029
    }

    /// Python's `str.isalpha()` for one character: general category Lu, Ll, Lt, Lm or Lo.
    @inline(__always)
    static func isAlpha(_ c: UInt32) -> Bool {
        if c < 0x80 { return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
        guard let scalar = Unicode.Scalar(c) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// Unicode general category P* (spaCy's `is_punct` asks this of every character of a token).
    static func isUnicodePunctuation(_ c: UInt32) -> Bool {
        if c < 0x80 {
            return (c >= 0x21 && c <= 0x2F && c != 0x24 && c != 0x2B) || c == 0x3A || c == 0x3B || c == 0x3F
                || c == 0x40 || c == 0x5B || c == 0x5C || c == 0x5D || c == 0x5F || c == 0x7B || c == 0x7D
        }
        guard let scalar = Unicode.Scalar(c) else { return false }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    // MARK: datatrove

    /// datatrove's `PUNCTUATION_SET`: its `PUNCTUATION` string (with C0/C1 controls) and `TERMINAL_PUNCTUATION`.
    @inline(__always)
    static func isDatatrovePunctuation(_ c: UInt32) -> Bool {
        if c < 0x80 { return asciiPunctuation & (1 << UInt128(c)) != 0 }
        if c < 0xA0 { return true }
        return otherPunctuation.contains(c) || terminalPunctuationSet.contains(c)
    }

    /// datatrove's `PUNCTUATION` string alone (with its C0/C1 controls), which its text simplification turns
    /// into spaces before MinHash shingling.
    @inline(__always)
    static func isMinHashPunctuation(_ c: UInt32) -> Bool {
        if c < 0x80 { return asciiPunctuation & (1 << UInt128(c)) != 0 }
        if c < 0xA0 { return true }
        return otherPunctuation.contains(c)
    }

    /// datatrove's `TERMINAL_PUNCTUATION` (FineWeb's line-end characters).
    @inline(__always)
    static func isTerminalPunctuation(_ c: UInt32) -> Bool {
        if c < 0x80 { return c == 0x21 || c == 0x2E || c == 0x3F }
        return terminalPunctuationSet.contains(c)
    }

    static let terminalPunctuationSet: Set<UInt32> = parse(terminalPunctuationList)
    static let otherPunctuation: Set<UInt32> = parse(punctuationList).filter { $0 >= 0x80 }
    static let asciiPunctuation: UInt128 = {
        var bits: UInt128 = 0
        for c in parse(punctuationList) where c < 0x80 { bits |= 1 << UInt128(c) }
        for c in UInt32(0)..<0x20 where c != 0x09 && c != 0x0A { bits |= 1 << UInt128(c) }
        bits |= 1 << 0x7F
        for c: UInt32 in [0x21, 0x2E, 0x3F] { bits |= 1 << UInt128(c) }
        return bits
    }()

    /// `TERMINAL_PUNCTUATION`, hex code points.
    static let terminalPunctuationList = """
        21 2E 3F 589 61D 61E 61F 6D4 700 701 702 7F9 837 839 83D 83E 964 965 104A 104B 1362 1367 1368 166E
        1735 1736 17D4 17D5 17D6 17D9 17DA 1803 1809 1944 1945 1AA8 1AA9 1AAA 1AAB 1B5A 1B5B 1B5E 1B5F 1B7D
        1B7E 1C3B 1C3C 1C7E 1C7F 203C 203D 2047 2048 2049 2E2E 2E3C 2E53 2E54 3002 A4FF A60E A60F A6F3 A6F7
        A876 A877 A8CE A8CF A92F A9C8 A9C9 AA5D AA5E AA5F AAF0 AAF1 ABEB FE52 FE56 FE57 FF01 FF0E FF1F FF61
        10A56 10A57 10F55 10F56 10F57 10F58 10F59 10F86 10F87 10F88 10F89 11047 11048 110BE 110BF 110C0
        110C1 11141 11142 11143 111C5 111C6 111CD 111DE 111DF 11238 11239 1123B 1123C 112A9 1144B 1144C
        115C2 115C3 115C9 115CA 115CB 115CC 115CD 115CE 115CF 115D0 115D1 115D2 115D3 115D4 115D5 115D6
        115D7 11641 11642 1173C 1173D 1173E 11944 11946 11A42 11A43 11A9B 11A9C 11C41 11C42 11EF7 11EF8
        11F43 11F44 16A6E 16A6F 16AF5 16B37 16B38 16B44 16E98 1BC9F 1DA88
        """

    /// The printable characters of `PUNCTUATION` (controls 0–8, 11–31 and 127–159 are added in code).
    static let punctuationList = """
        21 2F 2014 201D 3A FF05 FF11 3008 26 28 3001 2501 5C 3010 23 25 300C 300D FF0C 3011 FF1B 2B 5E 5D 7E
        201C 300A 201E 27 3B 2019 7B 7C 2236 B4 5B 3D 2D 60 2A FF0E FF08 2013 FF1F FF01 FF1A 24 FF5E AB 3009
        2C 3E 3C 300B 29 3F FF09 3002 2026 40 5F 2E 22 7D 25BA BB
        """

    // MARK: spaCy

    /// spaCy's `ALPHA` (Latin, Cyrillic, Greek and the uncased scripts it lists).
    static let spacyAlpha = RangeTable(parsing: """
        70 41-5A 61-7A C0-D6 D8-F6 F8-1BF 1C4-2AF 386 388-38A 38C 38E-38F 391-3A9 3AC-3AF 3B1-3C9 3CC-3CE
        400-401 403-40A 40C-40D 410-451 453-45A 45C-45D 490-491 496-497 4A2-4A3 4AE-4AF 4BA-4BB 4D8-4D9
        4E8-4E9 591-5F4 620-64A 66E-6D5 6E5-6FF 750-77F 8A0-8BD 900-9FF B80-CFF D80-DFF 1100-137F 1D00-1D25
        1D6B-1D77 1D79-1D9A 1E00-1EFF 2C60-2C7B 2C7E-2C7F 2E80-2FDF 2FF0-30FF 31C0-31EF 3200-4DBF 4E00-9FFF
        A722-A76F A771-A787 A78B-A78E A790-A7B9 A7FA AB30-AB5A AB60-AB64 AC00-D7AF F900-FAFF FB1D-FBB1
        FBD3-FD3D FD50-FDC7 FDF0-FDFB FE30-FE4F FE70-FEFC FF21-FF3A FF41-FF5A 1EE00-1EEBB 1F200-1F2FF
        20000-2A6DF 2A700-2EBEF 2F800-2FA1F
        """)

    /// spaCy's `ICONS` (symbols and emoji; each is a prefix, suffix and infix).
    static let spacyIcons = RangeTable(parsing: """
        174 A6 A9 AE B0 482 58D-58E 60E-60F 6DE 6E9 6FD-6FE 7F6 9FA B70 BF3-BF8 BFA C7F D4F D79 F01-F03 F13
        F15-F17 F1A-F1F F34 F36 F38 FBE-FC5 FC7-FCC FCE-FCF FD5-FD8 109E-109F 1390-1399 1940 19DE-19FF
        1B61-1B6A 1B74-1B7C 2100-2101 2103-2106 2108-2109 2114 2116-2117 211E-2123 2125 2127 2129 212E
        213A-213B 214A 214C-214D 214F 218A-218B 2195-2199 219C-219F 21A1-21A2 21A4-21A5 21A7-21AD 21AF-21CD
        21D0-21D1 21D3 21D5-21F3 2300-2307 230C-231F 2322-2328 232B-237B 237D-239A 23B4-23DB 23E2-2426
        2440-244A 249C-24E9 2500-25B6 25B8-25C0 25C2-25F7 2600-266E 2670-2767 2794-27BF 2800-28FF 2B00-2B2F
        2B45-2B46 2B4D-2B73 2B76-2B95 2B98-2BC8 2BCA-2BFE 2CE5-2CEA 2E80-2E99 2E9B-2EF3 2F00-2FD5 2FF0-2FFB
        3004 3012-3013 3020 3036-3037 303E-303F 3190-3191 3196-319F 31C0-31E3 3200-321E 322A-3247 3250
        3260-327F 328A-32B0 32C0-32FE 3300-33FF 4DC0-4DFF A490-A4C6 A828-A82B A836-A837 A839 AA77-AA79 FDFD
        FFE4 FFE8 FFED-FFEE FFFC-FFFD 10137-1013F 10179-10189 1018C-1018E 10190-1019B 101A0 101D0-101FC
        10877-10878 10AC8 1173F 16B3C-16B3F 16B45 1BC9C 1D000-1D0F5 1D100-1D126 1D129-1D164 1D16A-1D16C
        1D183-1D184 1D18C-1D1A9 1D1AE-1D1E8 1D200-1D241 1D245 1D300-1D356 1D800-1D9FF 1DA37-1DA3A
        1DA6D-1DA74 1DA76-1DA83 1DA85-1DA86 1ECAC 1F000-1F02B 1F030-1F093 1F0A0-1F0AE 1F0B1-1F0BF
        1F0C1-1F0CF 1F0D1-1F0F5 1F110-1F16B 1F170-1F1AC 1F1E6-1F202 1F210-1F23B 1F240-1F248 1F250-1F251
        1F260-1F265 1F300-1F3FA 1F400-1F6D4 1F6E0-1F6EC 1F6F0-1F6F9 1F700-1F773 1F780-1F7D8 1F800-1F80B
        1F810-1F847 1F850-1F859 1F860-1F887 1F890-1F8AD 1F900-1F90B 1F910-1F93E 1F940-1F970 1F973-1F976
        1F97A 1F97C-1F9A2 1F9B0-1F9B9 1F9C0-1F9C2 1F9D0-1F9FF 1FA60-1FA6D
        """)

    static func parse(_ list: String) -> Set<UInt32> {
        Set(list.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { UInt32($0, radix: 16)! })
    }
}

import Foundation
import Testing
import Corpus

/// `JSONValue(parsing:)`: the validating scanner through the public API.
@Suite("JSON scanner")
struct JSONScannerTests {
    private func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try JSONValue(parsing: Array(text.utf8))
    }

    /// The error a text raises (fails the test if it parses).
    private func syntaxError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONSyntaxError? {
        do {
            let value = try parse(text)
            Issue.record("expected \(text.debugDescription) to be rejected, parsed \(value.serialized())", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesNestedStructures() throws {
        let value = try parse(#"  {"a" : [1, {"b": null}, []], "c": {"d": [true, false], "e": {}}, "f": ""}  "#)
        let expected: JSONValue = .object([
            ("a", .array([.number("1"), .object([("b", .null)]), .array([])])),
            ("c", .object([("d", .array([.bool(true), .bool(false)])), ("e", .object([]))])),
            ("f", .string("")),
        ])
        #expect(value == expected)
        #expect(value.serialized() == #"{"a":[1,{"b":null},[]],"c":{"d":[true,false],"e":{}},"f":""}"#)
    }

    @Test(arguments: ["0", "-0", "7", "-12", "0.5", "1e5", "1E+2", "2e-3", "-12.34e56", "0.5e-10",
                      "123456789012345678901234567890", "1.0000000000000000000001"])
    func parsesNumbersKeepingTheirText(_ text: String) throws {
        // Numbers keep their exact text, so `serialized()` gives it back unchanged.
        let value = try parse(text)
        guard case let .number(kept) = value else {
            Issue.record("\(text) parsed as \(value)")
            return
        }
        #expect(kept == text)
        #expect(value.serialized() == text)
        #expect(value.doubleValue == Double(text))
    }

    @Test func decodesEscapesIncludingSurrogatePairs() throws {
        let value = try parse(#""\"\\\/\b\f\n\r\t\u00e9\u4E2D\ud83d\ude00\u0000x""#)
        #expect(value == .string("\"\\/\u{08}\u{0C}\n\r\té中😀\u{0}x"))
        // A string with only raw UTF-8 (no escapes) is taken as it is.
        #expect(try parse("\"héllo 世界 😀\"") == .string("héllo 世界 😀"))
        // Uppercase hex digits in surrogate escapes work too.
        #expect(try parse(#""\uD83D\uDE00""#) == .string("😀"))
    }

    @Test func parsesLiteralsAndTopLevelScalars() throws {
        #expect(try parse("true") == .bool(true))
        #expect(try parse("false") == .bool(false))
        #expect(try parse(" null\n") == .null)
        #expect(try parse(#""just a string""#) == .string("just a string"))
    }

    /// Invalid texts, the byte offset the error must point at, and a word the message must contain.
    static let invalid: [(text: String, offset: Int, word: String)] = [
        ("[1,2,]", 5, "number"),                    // trailing comma in an array: the ']' is not a value
        (#"{"a":1,}"#, 7, "key"),                   // trailing comma in an object
        (#""abc"#, 0, "unterminated string"),       // points at the opening quote
        (#"{"a":"xyz"#, 5, "unterminated string"),
        ("\"a\u{01}b\"", 2, "control character"),   // raw control character in a string
        ("\"tab\there\"", 4, "control character"),
        ("\"line\nbreak\"", 5, "control character"),
        (#""a\qb""#, 3, "escape"),                  // unknown escape letter
        (#""\u12G4""#, 2, "\\u"),                   // bad hex digit
        (#""\u12""#, 2, "\\u"),                     // too few hex digits
        (#""abc\"#, 0, "unterminated"),             // backslash at the very end
        ("01", 1, "after the value"),               // leading zero
        ("[01]", 2, "','"),
        ("-01", 2, "after the value"),
        ("-", 0, "number"),                         // lone minus
        ("[-]", 1, "number"),
        ("1.", 0, "number"),
        ("1.e5", 0, "number"),
        ("1e", 0, "number"),
        ("1e+", 0, "number"),
        (".5", 0, "number"),
        ("+1", 0, "number"),
        ("tru", 0, "literal"),
        ("nul", 0, "literal"),
        ("NaN", 0, ""),
        ("[1 2]", 3, "','"),
        (#"{"a" 1}"#, 5, "':'"),
        ("{a:1}", 1, "key"),
        ("['a']", 1, ""),
        ("[", 1, "end of line"),
        ("{", 1, "key"),
        (#"{"a":1"#, 6, "unterminated object"),
        ("1 2", 2, "after the value"),
        (#"{"a":1}}"#, 7, "after the value"),
        ("", 0, ""),
        ("   ", 3, "end of line"),
    ]

    @Test(arguments: 0..<invalid.count)
    func rejectsInvalidJSONWithOffset(_ index: Int) {
        let (text, offset, word) = Self.invalid[index]
        guard let error = syntaxError(text) else { return }
        #expect(error.offset == offset, "\(text.debugDescription): \(error.message)")
        if !word.isEmpty {
            #expect(error.message.contains(word), "\(text.debugDescription): \(error.message)")
        }
    }

    @Test func rejectsBytesThatAreNotJSON() {
        // A byte that cannot start a value, outside any string.
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: [0x5B, 0xFF, 0x5D]) }
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: [UInt8]()) }
    }

    @Test func limitsNestingDepthWithoutCrashing() throws {
        let shallow = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try parse(shallow) != .null)
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        let error = syntaxError(deep)
        #expect(error?.message.contains("nesting") == true)
    }

    // MARK: - Property: serialized values parse back equal

    @Test func randomValuesRoundTripThroughSerialization() throws {
        var generator = SeededGenerator(seed: 0x5EED_0001)
        for round in 0..<1500 {
            let value = RandomJSON.value(depth: 0, using: &generator)
            let text = value.serialized()
            let parsed: JSONValue
            do {
                parsed = try JSONValue(parsing: Array(text.utf8))
            } catch {
                Issue.record("round \(round): serialized text does not parse: \(error) in \(text.debugDescription)")
                return
            }
            #expect(parsed == value, "round \(round): \(text.debugDescription)")
            // Stricter than ==: the text is a fixed point (numbers are compared by text, not by Double).
            #expect(parsed.serialized() == text, "round \(round)")
        }
    }

    @Test func serializedStringsMatchFoundationsReading() throws {
        // Foundation's JSONSerialization must read our escaping to the same string (scalar for scalar).
        var generator = SeededGenerator(seed: 0x5EED_0002)
        for _ in 0..<300 {
            // U+FEFF is left out: swift-corelibs-foundation drops it from inside strings (its quirk, not ours).
            let scalars = RandomJSON.string(using: &generator).unicodeScalars.filter { $0 != "\u{FEFF}" }
            let string = String(String.UnicodeScalarView(scalars))
            let text = JSONValue.array([.string(string)]).serialized()
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
            let foundation = try #require((object as? [Any])?.first as? String)
            #expect(Array(foundation.unicodeScalars) == Array(string.unicodeScalars), "\(text.debugDescription)")
        }
    }

    @Test func escapingCoversEveryControlCharacter() throws {
        for scalar in 0..<0x20 {
            let string = "a" + String(Unicode.Scalar(UInt8(scalar))) + "b"
            let text = JSONValue.string(string).serialized()
            #expect(!text.utf8.contains { $0 < 0x20 }, "raw control byte \(scalar) in output")
            #expect(try parse(text) == .string(string))
        }
        #expect(JSONValue.string("q\"b\\").serialized() == #""q\"b\\""#)
        #expect(JSONValue.string("é中😀").serialized() == "\"é中😀\"")
    }
}

/// A deterministic generator of JSON values with awkward strings and all number shapes.
enum RandomJSON {
    static let pieces: [String] = [
        "a", "Z", "0", " ", "\"", "\\", "/", "\\u0041", "\u{0}", "\u{1}", "\u{8}", "\u{9}", "\n", "\r", "\u{C}",
        "\u{1F}", "\u{7F}", "é", "ß", "中", "文", "😀", "👍🏽", "e\u{301}", "\u{2028}", "\u{FEFF}", "\u{FFFD}",
        "\u{10FFFF}", "{", "}", "[", "]", ",", ":", "true", "null",
    ]

    static func string<G: RandomNumberGenerator>(using g: inout G) -> String {
        let length = Int.random(in: 0...12, using: &g)
        var s = ""
        for _ in 0..<length {
            if Int.random(in: 0..<5, using: &g) == 0 {
                // Any Unicode scalar (skipping surrogates, which a String cannot hold).
                var v = UInt32.random(in: 0...0x10FFFF, using: &g)
                if (0xD800...0xDFFF).contains(v) { v -= 0x800 }
                s.unicodeScalars.append(Unicode.Scalar(v)!)
            } else {
                s += pieces.randomElement(using: &g)!
            }
        }
        return s
    }

    static func number<G: RandomNumberGenerator>(using g: inout G) -> String {
        var text = Bool.random(using: &g) ? "-" : ""
        if Int.random(in: 0..<4, using: &g) == 0 {
            text += "0"
        } else {
            text += String(Int.random(in: 1...9, using: &g))
            for _ in 0..<Int.random(in: 0...20, using: &g) { text += String(Int.random(in: 0...9, using: &g)) }
        }
        if Bool.random(using: &g) {
            text += "."
            for _ in 0..<Int.random(in: 1...6, using: &g) { text += String(Int.random(in: 0...9, using: &g)) }
        }
        if Int.random(in: 0..<3, using: &g) == 0 {
            text += ["e", "E"].randomElement(using: &g)! + ["", "+", "-"].randomElement(using: &g)!
            for _ in 0..<Int.random(in: 1...3, using: &g) { text += String(Int.random(in: 0...9, using: &g)) }
        }
        return text
    }

    static func value<G: RandomNumberGenerator>(depth: Int, using g: inout G) -> JSONValue {
        let kinds = depth >= 4 ? 5 : 7
        switch Int.random(in: 0..<kinds, using: &g) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &g))
        case 2: return .number(number(using: &g))
        case 3, 4: return .string(string(using: &g))
        case 5: return .array((0..<Int.random(in: 0...5, using: &g)).map { _ in value(depth: depth + 1, using: &g) })
        default:
            return .object((0..<Int.random(in: 0...5, using: &g)).map { _ in
                (string(using: &g), value(depth: depth + 1, using: &g))
            })
        }
    }
}

/// Strings in fields other than text/id are parsed leniently: a lone surrogate escape or invalid UTF-8
/// becomes U+FFFD, and every other escape in the same string keeps its meaning. (Regression: the whole
/// string used to fall back to its raw bytes, so `\"` and `\u00e9` next to a lone surrogate came out as
/// literal backslash text, and rewriting the record's metadata corrupted it.)
@Suite("Lenient string repair")
struct StringRepairTests {
    @Test func loneSurrogatesBecomeReplacementCharactersOnly() throws {
        #expect(try JSONValue(parsing: Array(#""a\"b\ud800 \u00e9""#.utf8)) == .string("a\"b\u{FFFD} é"))
        #expect(try JSONValue(parsing: Array(#""\udc00x\n""#.utf8)) == .string("\u{FFFD}x\n"))
        #expect(try JSONValue(parsing: Array(#""\ud800\u0041""#.utf8)) == .string("\u{FFFD}A"))
        #expect(try JSONValue(parsing: Array(#""\ud800\ud83d\ude00""#.utf8)) == .string("\u{FFFD}😀"))
        #expect(try JSONValue(parsing: Array(#"{"k\ud800\"":1}"#.utf8)) == .object([("k\u{FFFD}\"", .int(1))]))
    }

    @Test func invalidUTF8BecomesReplacementCharactersOnly() throws {
        let bytes = Array(#""x\n"#.utf8) + [0xFF] + Array(#"\u00e9""#.utf8)
        #expect(try JSONValue(parsing: bytes) == .string("x\n\u{FFFD}é"))
        #expect(try JSONValue(parsing: [0x22, 0x61, 0xC3, 0x22]) == .string("a\u{FFFD}"))
    }

    @Test func rewritingMetadataKeepsTheOtherEscapesOfARepairedString() throws {
        var document = try decodeLine(#"{"text":"t","metadata":{"k":"a\"b\ud800 \u00e9"}}"#)
        document.metadata["x"] = .int(1)
        let out = encode(document)
        let reread = try decodeLine(Array(out.dropLast()))
        #expect(reread.value(at: "metadata.k") == .string("a\"b\u{FFFD} é"))
        #expect(reread.value(at: "metadata.x") == .int(1))
        // And the strict text field still rejects a lone surrogate.
        #expect(problem(of: Array(#"{"text":"a\"b\ud800"}"#.utf8)) == .invalidUTF8(field: "text"))
    }
}

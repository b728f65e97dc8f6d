import Foundation
import Testing
import Corpus

/// `DocumentDecoder` and `DocumentEncoder`: records in, records out.
@Suite("Document decoding and encoding")
struct DocumentCodingTests {
    @Test(arguments: [
        #"{"id":"a1","text":"hello"}"#,
        #"{"id": "a1", "text": "hi \"there\"\n\u00e9\ud83d\ude00", "n": 1.50, "x": {"y": [1, 2 ]}}"#,
        #"  {"text":"no id","source":"github:x/y@abc:z"}  "#,
        #"{"id":42,"text":"numeric id","score":-1.0e3,"ok":true,"none":null}"#,
        "{\"id\":\"zh\",\"text\":\"中文 文本 😀\",\"tags\":[\"a\",\"b\"]}",
        #"{"text":"dup","text":"last wins","id":"d"}"#,
    ])
    func unmodifiedDocumentReEncodesByteIdentical(_ line: String) throws {
        let document = try decodeLine(line)
        #expect(!document.isModified)
        #expect(encodeString(document) == line + "\n")
    }

    /// Steps that read bytes get the escapes resolved without a Swift string being made: the same bytes.
    @Test(arguments: [
        #"{"text":"plain, no escapes"}"#,
        #"{"text":"hi \"there\"\n\u00e9\ud83d\ude00 \\ \/ \t\r\b\f end"}"#,
        #"{"text":"\u4e2d\u6587 中文 😀\n"}"#,
    ])
    func textBytesResolveEscapesAsTheTextDoes(_ line: String) throws {
        let document = try decodeLine(line)
        let bytes = document.withTextUTF8 { Array($0) }
        #expect(bytes == Array(document.text.utf8))
        var changed = document
        changed.text = "new"
        #expect(changed.withTextUTF8 { Array($0) } == Array("new".utf8))
    }

    @Test func addingMetadataKeepsOtherFieldsVerbatimAndInOrder() throws {
        let line = #"{"id": "a1", "text": "hi\tthere", "n": 1.50, "nested": {"x": [1, 2]}, "s": "\u00e9", "z": null}"#
        var document = try decodeLine(line)
        document.metadata["lang"] = .string("en")
        document.metadata["score"] = .double(0.25)
        #expect(document.isModified)
        let out = encodeString(document)
        // Values are copied byte for byte (including the escape \u00e9, 1.50 and the inner spaces).
        #expect(out == #"{"id":"a1","text":"hi\tthere","n":1.50,"nested":{"x": [1, 2]},"s":"\u00e9","z":null,"metadata":{"lang":"en","score":0.25}}"# + "\n")
        let reread = try decodeLine(String(out.dropLast()))
        #expect(reread.id == "a1")
        #expect(reread.text == "hi\tthere")
        #expect(reread.record?.fieldNames == ["id", "text", "n", "nested", "s", "z", "metadata"])
    }

    @Test func addedMetadataMergesIntoAnExistingMetadataObject() throws {
        let line = #"{"id":"x","metadata":{"a":1,"b":"two","c":[true]},"text":"t","z":0}"#
        var document = try decodeLine(line)
        document.metadata["b"] = .string("new")
        document.metadata["d"] = .bool(false)
        let out = encodeString(document)
        // The metadata object stays where it was; kept members first, then the added ones.
        #expect(out == #"{"id":"x","metadata":{"a":1,"c":[true],"b":"new","d":false},"text":"t","z":0}"# + "\n")
        #expect(document.mergedMetadata() == .object([("a", .int(1)), ("c", .array([.bool(true)])),
                                                      ("b", .string("new")), ("d", .bool(false))]))
    }

    @Test func metadataThatIsNotAnObjectIsKeptUnderMetadataOriginal() throws {
        var document = try decodeLine(#"{"id":"x","text":"t","metadata":"legacy"}"#)
        document.metadata["k"] = .int(3)
        #expect(encodeString(document) == #"{"id":"x","text":"t","metadata":{"metadata_original":"legacy","k":3}}"# + "\n")
    }

    @Test func changingTextReEscapesAndParsesBack() throws {
        let line = #"{"id":"t1","text":"old","after":"kept \"as is\""}"#
        var document = try decodeLine(line)
        let newText = "line1\nline2 \"quoted\" back\\slash \u{01}\u{1F} tab\t é 中 😀 \u{2028} end"
        document.text = newText
        let out = encode(document)
        #expect(out.last == 0x0A)
        #expect(!out.dropLast().contains(0x0A), "a record must stay on one line")
        #expect(!out.dropLast().contains { $0 < 0x20 }, "control characters must be escaped")
        let reread = try decodeLine(Array(out.dropLast()))
        #expect(reread.text == newText)
        #expect(Array(reread.text.unicodeScalars) == Array(newText.unicodeScalars))
        #expect(reread.value(at: "after") == .string(#"kept "as is""#))
        #expect(String(decoding: out, as: UTF8.self).contains(#""after":"kept \"as is\"""#))
        // Foundation agrees on the new text.
        let object = try JSONSerialization.jsonObject(with: Data(out.dropLast())) as? [String: Any]
        #expect((object?["text"] as? String).map { Array($0.unicodeScalars) } == Array(newText.unicodeScalars))
    }

    @Test func changingIDReplacesItInPlaceOrAppendsIt() throws {
        var withID = try decodeLine(#"{"id":7,"text":"t","x":1}"#)
        withID.id = "new-id"
        #expect(encodeString(withID) == #"{"id":"new-id","text":"t","x":1}"# + "\n")

        var withoutID = try decodeLine(#"{"text":"t"}"#)
        #expect(withoutID.id == "fallback")
        var nullDecoder = DocumentDecoder()
        let nullID = try Array(#"{"id":null,"text":"t"}"#.utf8).withUnsafeBytes { try nullDecoder.decode(line: $0) { "fallback-null" } }
        #expect(nullID.id == "fallback-null")
        withoutID.id = "given"
        withoutID.metadata["m"] = .null
        #expect(encodeString(withoutID) == #"{"text":"t","id":"given","metadata":{"m":null}}"# + "\n")
    }

    @Test func documentsWithoutARecordAreWrittenFresh() throws {
        var document = Document(id: "n\"1", text: "fresh\ntext")
        #expect(encodeString(document) == #"{"id":"n\"1","text":"fresh\ntext"}"# + "\n")
        document.metadata["lang"] = .string("en")
        let out = encodeString(document)
        #expect(out == #"{"id":"n\"1","text":"fresh\ntext","metadata":{"lang":"en"}}"# + "\n")
        let reread = try decodeLine(String(out.dropLast()))
        #expect(reread.id == "n\"1" && reread.text == "fresh\ntext")
    }

    @Test func customTextAndIDFields() throws {
        let format = RecordFormat(textField: "content", idField: "doc_id")
        let line = #"{"doc_id":"d-9","text":"not this one","content":"the text"}"#
        var document = try decodeLine(line, format: format)
        #expect(document.id == "d-9")
        #expect(document.text == "the text")
        #expect(encodeString(document, format: format) == line + "\n")

        document.text = "changed"
        document.id = "d-10"
        #expect(encodeString(document, format: format) == #"{"doc_id":"d-10","text":"not this one","content":"changed"}"# + "\n")

        // With the default format the same record is a different document.
        let plain = try decodeLine(line)
        #expect(plain.text == "not this one")
        #expect(plain.id == "fallback")
        // And a record lacking the custom text field is a problem naming that field.
        #expect(problem(of: Array(#"{"doc_id":"x","text":"t"}"#.utf8), format: format) == .missingText(field: "content"))
    }

    @Test(arguments: [("42", "42"), ("-7", "-7"), ("1.5e3", "1.5e3"), ("0", "0"), ("12345678901234567890123", "12345678901234567890123")])
    func numericIDsKeepTheirText(_ raw: String, _ expected: String) throws {
        let line = #"{"id":\#(raw),"text":"t"}"#
        let document = try decodeLine(line)
        #expect(document.id == expected)
        #expect(encodeString(document) == line + "\n")
    }

    @Test func missingIDUsesTheFallback() throws {
        var decoder = DocumentDecoder(source: "web")
        var calls = 0
        let bytes = Array(#"{"text":"no id here"}"#.utf8)
        let document = try bytes.withUnsafeBytes { raw in
            try decoder.decode(line: raw) { calls += 1; return "file.jsonl@123" }
        }
        #expect(document.id == "file.jsonl@123")
        #expect(document.source == "web")
        #expect(calls == 1)
        // The fallback is not written out for an unmodified document.
        #expect(encodeString(document) == #"{"text":"no id here"}"# + "\n")
    }

    /// Lines that are not documents, the problem expected, and its stable drop reason name.
    static let problems: [(line: [UInt8], problem: RecordProblem?, reason: String)] = [
        (Array(#"{"id":1,"text":"a",}"#.utf8), nil, "invalid_json"),
        (Array(#"{"id":1,"text":"a""#.utf8), nil, "invalid_json"),
        (Array(#"["text","a"]"#.utf8), nil, "invalid_json"),
        (Array(#""text""#.utf8), nil, "invalid_json"),
        (Array(#"{"text":"a"} x"#.utf8), nil, "invalid_json"),
        (Array(#"{"text":"a\x"}"#.utf8), nil, "invalid_json"),
        (Array(#"{"id":1}"#.utf8), .missingText(field: "text"), "missing_text"),
        (Array("{}".utf8), .missingText(field: "text"), "missing_text"),
        (Array(#"{"Text":"wrong case"}"#.utf8), .missingText(field: "text"), "missing_text"),
        (Array(#"{"text":5}"#.utf8), .textNotString(field: "text"), "text_not_string"),
        (Array(#"{"text":null}"#.utf8), .textNotString(field: "text"), "text_not_string"),
        (Array(#"{"text":["a"]}"#.utf8), .textNotString(field: "text"), "text_not_string"),
        (Array(#"{"text":"a"#.utf8) + [0xFF] + Array(#"b"}"#.utf8), .invalidUTF8(field: "text"), "invalid_utf8"),
        (Array(#"{"text":"a"#.utf8) + [0xE4, 0xBD] + Array(#""}"#.utf8), .invalidUTF8(field: "text"), "invalid_utf8"),
        (Array(#"{"text":""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8), .invalidUTF8(field: "text"), "invalid_utf8"),
        (Array(#"{"text":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8), .invalidUTF8(field: "text"), "invalid_utf8"),
        (Array(#"{"text":"esc\n"#.utf8) + [0xFF] + Array(#""}"#.utf8), .invalidUTF8(field: "text"), "invalid_utf8"),
        (Array(#"{"text":"\ud800"}"#.utf8), .invalidUTF8(field: "text"), "invalid_utf8"),
        (Array(#"{"text":"x\udc00y"}"#.utf8), .invalidUTF8(field: "text"), "invalid_utf8"),
        (Array(#"{"text":"\ud800\u0041"}"#.utf8), .invalidUTF8(field: "text"), "invalid_utf8"),
        (Array(#"{"text":"\ud83d"}"#.utf8), .invalidUTF8(field: "text"), "invalid_utf8"),
        (Array(#"{"id":{"a":1},"text":"t"}"#.utf8), .invalidID(field: "id"), "invalid_id"),
        (Array(#"{"id":["a"],"text":"t"}"#.utf8), .invalidID(field: "id"), "invalid_id"),
        (Array(#"{"id":true,"text":"t"}"#.utf8), .invalidID(field: "id"), "invalid_id"),
    ]

    @Test(arguments: 0..<problems.count)
    func eachRecordProblemIsRaisedWithItsReason(_ index: Int) throws {
        let (line, expected, reason) = Self.problems[index]
        let found = try #require(problem(of: line), "line \(index) decoded but should not")
        #expect(found.reason.rawValue == reason)
        if let expected {
            #expect(found == expected)
        } else if case .invalidJSON = found {
        } else {
            Issue.record("expected invalidJSON, got \(found)")
        }
        #expect(!found.message.isEmpty)
    }

    @Test func invalidJSONReportsTheByteOffset() throws {
        let line = Array(#"{"id":1,"text":"a",}"#.utf8)
        guard case let .invalidJSON(error)? = problem(of: line) else {
            Issue.record("expected invalid JSON")
            return
        }
        #expect(error.offset == 19)
        #expect(RecordProblem.invalidJSON(error).message.contains("byte 19"))
    }

    @Test func decodedValuesAreReachableByPath() throws {
        let document = try decodeLine(#"{"id":"p","text":"t","meta":{"domain":"math","tags":["x","y"]},"metadata":{"lang":"de"}}"#)
        #expect(document.value(at: "meta.domain") == .string("math"))
        #expect(document.value(at: "meta.tags.1") == .string("y"))
        #expect(document.value(at: "meta.tags.2") == nil)
        #expect(document.value(at: "lang") == .string("de"))
        #expect(document.value(at: "metadata.lang") == .string("de"))
        #expect(document.value(at: "missing") == nil)
        #expect(document.value(at: "id") == .string("p"))
    }
}

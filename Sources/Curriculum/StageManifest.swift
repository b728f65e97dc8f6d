import Corpus
import Foundation

/// A stage's documents in training order, one JSON line each:
/// `{"source":"web","file":"/abs/shard.jsonl.zst","position":12,"id":"c4-12","tokens":385,"ppl":304.6}`.
/// `position` is the record's 0-based index among the file's non-blank lines. `syllabus pack --stage`
/// reads it back; so can any script.
public enum StageManifest {
    public struct Line: Sendable, Equatable {
        public var source: String
        public var file: String
        public var position: Int
        public var id: String
        public var tokens: Int
        public var ppl: Double?
    }

    public static func fileName(stage index: Int) -> String {
        String(format: "stage-%02d.manifest.jsonl", index + 1)
    }

    /// Writes a stage's manifest atomically (a `.tmp` renamed when complete).
    static func write(_ stage: StageResult, plan: CurriculumPlan, catalogs: [SourceCatalog?], to path: String) throws {
        let temporary = path + ".tmp"
        let sink = try FileByteSink(path: temporary)
        var line: [UInt8] = []
        line.reserveCapacity(512)
        // Per source `{"source":NAME,"file":` and per file its quoted path, built once.
        let sourcePrefixes = plan.sources.map { source -> [UInt8] in
            var out = Array(#"{"source":"#.utf8)
            JSONEscaping.appendQuoted(source.name, to: &out)
            return out + Array(#","file":"#.utf8)
        }
        let quotedFiles: [[[UInt8]]] = catalogs.map { catalog in
            (catalog?.files ?? []).map { file in
                var out: [UInt8] = []
                JSONEscaping.appendQuoted(file, to: &out)
                return out
            }
        }
        let positionKey = Array(#","position":"#.utf8), idKey = Array(#","id":"#.utf8)
        let tokensKey = Array(#","tokens":"#.utf8), pplKey = Array(#","ppl":"#.utf8), end = Array("}\n".utf8)
        for entry in stage.entries {
            let source = Int(entry.source), document = Int(entry.document)
            let catalog = catalogs[source]!
            line.removeAll(keepingCapacity: true)
            line += sourcePrefixes[source]
            let row = catalog.rows[document]
            line += quotedFiles[source][Int(row.file)]
            line += positionKey
            appendDecimal(Int(row.position), to: &line)
            line += idKey
            catalog.withID(document) { JSONEscaping.appendQuoted(utf8: $0, to: &line) }
            line += tokensKey
            appendDecimal(Int(row.tokens), to: &line)
            let ppl = row.ppl
            if !ppl.isNaN {
                line += pplKey
                line += ppl.description.utf8
            }
            line += end
            try line.withUnsafeBytes { try sink.write($0) }
        }
        try sink.finish()
        try FileSystem.rename(temporary, to: path)
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var remaining = value.magnitude
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                count += 1
            } while remaining > 0
            if value < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: buffer[(20 - count)...])
        }
    }

    /// Reads a manifest; errors name the file and line.
    public static func read(_ path: String) throws -> [Line] {
        let reader = LineReader(source: try Compression.openForReading(path, offset: 0))
        var lines: [Line] = []
        var number = 0
        while let line = try reader.next() {
            number += 1
            if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D }) { continue }
            let value: JSONValue
            do {
                value = try JSONValue(parsing: line.bytes)
            } catch {
                throw PlanError("\(path):\(number): not a JSON object: \(error)", hint: "manifests are written by `syllabus plan`; plan again")
            }
            guard case let .string(source)? = value["source"], case let .string(file)? = value["file"],
                  case let .number(position)? = value["position"], let positionValue = Int(position),
                  case let .string(id)? = value["id"], case let .number(tokens)? = value["tokens"], let tokenValue = Int(tokens) else {
                throw PlanError("\(path):\(number): a manifest line needs source, file, position, id and tokens",
                                hint: "manifests are written by `syllabus plan`; plan again")
            }
            var ppl: Double?
            if case let .number(text)? = value["ppl"] { ppl = Double(text) }
            lines.append(Line(source: source, file: file, position: positionValue, id: id, tokens: tokenValue, ppl: ppl))
        }
        return lines
    }
}

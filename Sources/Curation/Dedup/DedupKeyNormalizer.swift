import Corpus
import Foundation

/// The text an exact-dedup key is computed from: optionally NFKC-normalized, lower-cased, without
/// punctuation, and with every run of whitespace turned into one space (ends trimmed), in that order.
struct DedupKeyNormalizer: Sendable, Equatable {
    enum Operation: String, CaseIterable, Sendable {
        case nfkc, lowercase, punctuation, whitespace
    }

    var operations: Set<Operation>

    /// Reads `normalize: [nfkc, lowercase, punctuation, whitespace]` (or `[none]`).
    static func read(_ options: ConfigReader, default fallback: Set<Operation>) throws(ConfigError) -> DedupKeyNormalizer {
        guard let names = try options.strings("normalize") else { return DedupKeyNormalizer(operations: fallback) }
        var operations: Set<Operation> = []
        for name in names where name != "none" {
            guard let operation = Operation(rawValue: name) else {
                throw options.error("normalize", "'\(name)' is not a normalization; use any of \(Operation.allCases.map(\.rawValue).joined(separator: ", ")), or none")
            }
            operations.insert(operation)
        }
        return DedupKeyNormalizer(operations: operations)
    }

    /// The normalized text's UTF-8 bytes.
    func normalize(_ text: String) -> [UInt8] {
        if operations.isEmpty { return Array(text.utf8) }
        var text = text
        if operations.contains(.nfkc) { text = text.precomposedStringWithCompatibilityMapping }
        if operations.contains(.lowercase) { text = text.lowercased() }
        let dropPunctuation = operations.contains(.punctuation)
        let squeezeSpaces = operations.contains(.whitespace)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if dropPunctuation, Self.isPunctuation(scalar) { continue }
            if squeezeSpaces, scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(0x20)
                pendingSpace = false
            }
            if scalar.value < 0x80 {
                out.append(UInt8(scalar.value))
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        return out
    }

    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }
}

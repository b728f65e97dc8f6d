/// Reads a mapping of options with typed accessors, remembering which keys were used, so that
/// `finish()` can reject unknown keys with the key path and a suggestion.
public final class ConfigReader {
    public let keyPath: String
    public let location: ConfigLocation?
    private let entries: [(String, ConfigValue)]
    private var used: Set<String> = []
    private var known: [String] = []

    /// - Parameter value: a mapping, or null (no options).
    public init(_ value: ConfigValue, keyPath: String) throws(ConfigError) {
        self.keyPath = keyPath
        self.location = value.location
        switch value {
        case let .mapping(entries, _): self.entries = entries
        case .null: self.entries = []
        default: throw ConfigError(keyPath: keyPath, location: value.location, message: "expected a mapping of options, found \(value.kindDescription)")
        }
    }

    public func path(_ key: String) -> String { keyPath.isEmpty ? key : "\(keyPath).\(key)" }

    /// The raw value of `key`, marking it as known and used.
    public func value(_ key: String) -> ConfigValue? {
        known.append(key)
        guard let entry = entries.last(where: { $0.0 == key }) else { return nil }
        used.insert(key)
        if case .null = entry.1 { return nil }
        return entry.1
    }

    public func has(_ key: String) -> Bool { entries.contains { $0.0 == key } }

    public func error(_ key: String, _ message: String) -> ConfigError {
        if let value = entries.last(where: { $0.0 == key })?.1 {
            return ConfigError(keyPath: path(key), location: value.location ?? location, message: message)
        }
        // The key is absent: a misspelled one is the likeliest cause, so point at it.
        let unknown = entries.map(\.0).filter { !used.contains($0) }
        if let typo = Self.closest(to: key, in: unknown), let value = entries.last(where: { $0.0 == typo })?.1 {
            return ConfigError(keyPath: path(typo), location: value.location ?? location,
                               message: "unknown option '\(typo)'; did you mean '\(key)'? (\(path(key)) \(message))")
        }
        return ConfigError(keyPath: path(key), location: location, message: message)
    }

    private func scalar(_ key: String, expected: String) throws(ConfigError) -> String? {
        guard let value = value(key) else { return nil }
        guard case let .scalar(text, _) = value else {
            throw error(key, "expected \(expected), found \(value.kindDescription)")
        }
        return text
    }

    /// A file path option; a relative path is taken from the folder of the YAML file that holds it.
    public func filePath(_ key: String) throws(ConfigError) -> String? {
        guard let text = try string(key) else { return nil }
        return Self.resolvePath(text, from: entries.last(where: { $0.0 == key })?.1.location ?? location)
    }

    /// `text` as a path: a relative one is taken from the folder of the YAML file at `location`.
    public static func resolvePath(_ text: String, from location: ConfigLocation?) -> String {
        if text.hasPrefix("/") { return text }
        guard let file = location?.file, let slash = file.lastIndex(of: "/") else { return text }
        return String(file[..<slash]) + "/" + text
    }

    public func string(_ key: String) throws(ConfigError) -> String? {
        try scalar(key, expected: "a string")
    }

    public func string(_ key: String, default fallback: String) throws(ConfigError) -> String {
        try string(key) ?? fallback
    }

    public func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let text = try string(key) else { throw error(key, "is required (a string)") }
        return text
    }

    public func int(_ key: String, range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int? {
        guard let text = try scalar(key, expected: "an integer") else { return nil }
        guard let number = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw error(key, "expected an integer, found '\(text)'")
        }
        if let range, !range.contains(number) {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), found \(number)")
        }
        return number
    }

    public func double(_ key: String, range: ClosedRange<Double>? = nil) throws(ConfigError) -> Double? {
        guard let text = try scalar(key, expected: "a number") else { return nil }
        guard let number = Double(text), number.isFinite else { throw error(key, "expected a number, found '\(text)'") }
        if let range, !range.contains(number) {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), found \(text)")
        }
        return number
    }

    public func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let text = try scalar(key, expected: "true or false") else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(key, "expected true or false, found '\(text)'")
        }
    }

    /// A size in bytes: a plain integer or with a unit (`500MB`, `1.5GiB`, `64k`).
    public func byteSize(_ key: String) throws(ConfigError) -> Int? {
        guard let text = try scalar(key, expected: "a size such as 500MB") else { return nil }
        guard let bytes = Self.parseByteSize(text) else {
            throw error(key, "expected a size such as 1000000, 500MB or 2GiB, found '\(text)'")
        }
        return bytes
    }

    static func parseByteSize(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        guard let number = Double(digits), number >= 0 else { return nil }
        let multipliers: [String: Double] = [
            "": 1, "b": 1, "k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12, "tb": 1e12,
            "kib": 1024, "mib": 1_048_576, "gib": 1_073_741_824, "tib": 1_099_511_627_776,
        ]
        guard let multiplier = multipliers[unit] else { return nil }
        // Int(exactly:) is nil for sizes beyond Int.max (Int(_:) would trap on them).
        return Int(exactly: (number * multiplier).rounded())
    }

    /// A list of strings; a single value counts as a list of one.
    public func strings(_ key: String) throws(ConfigError) -> [String]? {
        guard let value = value(key) else { return nil }
        switch value {
        case let .scalar(text, _): return [text]
        case let .sequence(items, _):
            var result: [String] = []
            for (index, item) in items.enumerated() {
                guard case let .scalar(text, _) = item else {
                    throw ConfigError(keyPath: "\(path(key))[\(index)]", location: item.location,
                                      message: "expected a string, found \(item.kindDescription)")
                }
                result.append(text)
            }
            return result
        default:
            throw error(key, "expected a list of strings, found \(value.kindDescription)")
        }
    }

    /// One of a fixed set of words.
    public func choice<T: RawRepresentable<String> & CaseIterable>(_ key: String, as type: T.Type) throws(ConfigError) -> T? {
        guard let text = try string(key) else { return nil }
        guard let choice = T(rawValue: text) else {
            let options = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw error(key, "expected one of \(options), found '\(text)'")
        }
        return choice
    }

    /// Rejects keys that no accessor asked for, suggesting the closest known key.
    public func finish() throws(ConfigError) {
        for (key, value) in entries where !used.contains(key) {
            var message = "unknown option '\(key)'"
            if let suggestion = Self.closest(to: key, in: known) { message += "; did you mean '\(suggestion)'?" }
            if !known.isEmpty { message += " Expected one of: \(Array(Set(known)).sorted().joined(separator: ", "))" }
            throw ConfigError(keyPath: path(key), location: value.location ?? location, message: message)
        }
    }

    /// The candidate with the smallest edit distance, if it is close enough to be a likely typo.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let scored = Set(candidates).map { ($0, editDistance(word, $0)) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        guard let best = scored.first, best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}

import Foundation

/// Counts over a set of documents for `syllabus stats`: per group, and per metadata field with its
/// most common values.
public struct CorpusProfile: Sendable, Codable, Equatable {
    public struct Totals: Sendable, Codable, Equatable {
        public var documents = 0
        public var bytes = 0
        public var characters = 0

        public init() {}

        mutating func add(_ other: Totals) {
            documents += other.documents
            bytes += other.bytes
            characters += other.characters
        }
    }

    public struct FieldProfile: Sendable, Codable, Equatable {
        /// Documents that have the field.
        public var documents = 0
        /// Documents per value (strings, booleans and integers only; capped at `valueLimit` distinct values).
        public var values: [String: Int] = [:]
        /// Whether more distinct values were seen than are kept.
        public var valuesTruncated = false
        /// Sum and range of numeric values.
        public var numericCount = 0
        public var numericSum = 0.0
        public var numericMin: Double?
        public var numericMax: Double?
    }

    public static let valueLimit = 1000

    public var total = Totals()
    public var groups: [String: Totals] = [:]
    public var fields: [String: FieldProfile] = [:]
    /// Lines that were not valid documents, per reason.
    public var problems: [String: Int] = [:]

    public init() {}

    public mutating func addProblem(_ problem: RecordProblem) {
        problems[problem.reason.rawValue, default: 0] += 1
    }

    /// Adds one document. `group` is the source it belongs to; `by` values, if any, name extra groups.
    public mutating func add(_ document: Document, group: String) {
        var totals = Totals()
        totals.documents = 1
        totals.bytes = document.textByteCount
        totals.characters = document.text.unicodeScalars.count
        total.add(totals)
        groups[group, default: Totals()].add(totals)
        // Top-level fields besides id and text, then metadata members as `metadata.KEY`.
        if let record = document.record {
            for (index, name) in record.fieldNames.enumerated()
            where name != "id" && name != "text" && name != "metadata" {
                note(field: name, value: record.value(at: index))
            }
        }
        if case let .object(members) = document.mergedMetadata() {
            for (key, value) in members { note(field: "metadata." + key, value: value) }
        }
    }

    private mutating func note(field: String, value: JSONValue) {
        var profile = fields[field, default: FieldProfile()]
        profile.documents += 1
        switch value {
        case .string, .bool:
            countValue(value.textForMatching, in: &profile)
        case let .number(text):
            if let number = Double(text) {
                profile.numericCount += 1
                profile.numericSum += number
                profile.numericMin = min(profile.numericMin ?? number, number)
                profile.numericMax = max(profile.numericMax ?? number, number)
                if Int(text) != nil { countValue(text, in: &profile) }
            }
        default:
            break
        }
        fields[field] = profile
    }

    private func countValue(_ text: String, in profile: inout FieldProfile) {
        if profile.values[text] != nil || profile.values.count < Self.valueLimit {
            profile.values[text, default: 0] += 1
        } else {
            profile.valuesTruncated = true
        }
    }

    public mutating func merge(_ other: CorpusProfile) {
        total.add(other.total)
        for (reason, count) in other.problems { problems[reason, default: 0] += count }
        for (name, totals) in other.groups { groups[name, default: Totals()].add(totals) }
        for (name, field) in other.fields {
            var mine = fields[name, default: FieldProfile()]
            mine.documents += field.documents
            for (value, count) in field.values {
                if mine.values[value] != nil || mine.values.count < Self.valueLimit {
                    mine.values[value, default: 0] += count
                } else {
                    mine.valuesTruncated = true
                }
            }
            mine.valuesTruncated = mine.valuesTruncated || field.valuesTruncated
            mine.numericCount += field.numericCount
            mine.numericSum += field.numericSum
            if let low = field.numericMin { mine.numericMin = min(mine.numericMin ?? low, low) }
            if let high = field.numericMax { mine.numericMax = max(mine.numericMax ?? high, high) }
            fields[name] = mine
        }
    }
}

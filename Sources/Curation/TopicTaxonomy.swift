/// The topic label sets of Llama-3-SynE's topic-based mixture (SPEC §4): 11 English topics and 13 Chinese
/// ones. Labels are the topic names in snake case (`mathematics_and_physics`); a fastText topic model
/// trained for them has labels `__label__<name>`. The curriculum planner mixes by these values of
/// `metadata.topic`.
public enum TopicTaxonomy: String, CaseIterable, Sendable {
    case en
    case zh

    /// The labels, in SPEC order.
    public var labels: [String] {
        switch self {
        case .en:
            return ["mathematics_and_physics", "computer_science_and_engineering", "biology_and_chemistry", "history_and_geography",
                    "law_and_policy", "philosophy_and_logic", "economics_and_business", "psychology_and_sociology",
                    "security_and_international_relations", "medicine_and_health", "others"]
        case .zh:
            return ["biology_and_chemistry", "computer_science_and_engineering", "economics_and_business", "history_and_geography",
                    "law_and_policy", "mathematics_and_physics", "medicine_and_health", "philosophy", "arts_and_culture",
                    "project_and_practical_management", "psychology", "sociology_and_education", "others"]
        }
    }

    /// The topic names as SPEC writes them, by label.
    public var displayNames: [String: String] {
        Dictionary(uniqueKeysWithValues: labels.map { label in
            (label, label.split(separator: "_").map { $0 == "and" ? "and" : $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " "))
        })
    }

    /// Labels of `modelLabels` (with or without `__label__`) that are not topics of this taxonomy.
    public func unknownLabels(_ modelLabels: [String]) -> [String] {
        let known = Set(labels)
        return modelLabels.map { $0.hasPrefix("__label__") ? String($0.dropFirst(9)) : $0 }.filter { !known.contains($0) }
    }
}

import Corpus
import Foundation

/// YuLan-Mini's published per-stage data mixtures (`pretrain/datasets/data_mix/NN_YYYYMMDD_HHMMSS.json`,
/// one file per stage) read into a plan: one declared source per dataset, one stage per file, each
/// stage taking exactly the tokens per dataset the file says it took (`Number of Selected Tokens(B)`).
public struct YuLanMiniRecipe: Sendable {
    public struct Stage: Sendable {
        /// The file's stem, e.g. `01_20241017_013512`.
        public var name: String
        public var file: String
        /// `Total Tokens(B)` as the file states it.
        public var statedTotalBillions: Double
        /// Tokens per dataset (billions × 10^9, rounded), in the file's order.
        public var datasets: [(name: String, tokens: Int)]

        public var tokens: Int { datasets.reduce(0) { $0 + $1.tokens } }
    }

    public var stages: [Stage]
    /// What in the files does not add up, for the import's notes.
    public var notes: [String]

    /// Reads every `NN_*.json` of `folder` in name order.
    public static func load(folder: String) throws -> YuLanMiniRecipe {
        let names = FileSystem.contents(of: folder)
            .filter { $0.hasSuffix(".json") && $0.first?.isNumber == true }
            .sorted()
        guard !names.isEmpty else {
            throw PlanError("\(folder): no stage files (NN_YYYYMMDD_HHMMSS.json)",
                            hint: "point at YuLan-Mini's pretrain/datasets/data_mix folder")
        }
        var stages: [Stage] = []
        var notes: [String] = []
        for name in names {
            let path = folder + "/" + name
            let bytes = try FileSystem.readFile(path)
            guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                throw PlanError("\(path): not a JSON object", hint: "expected YuLan-Mini's data-mix format")
            }
            guard let total = (root["Total Tokens(B)"] as? NSNumber)?.doubleValue else {
                throw PlanError("\(path): `Total Tokens(B)` is missing or not a number", hint: "expected YuLan-Mini's data-mix format")
            }
            guard let selected = root["Number of Selected Tokens(B)"] as? [String: Any] else {
                throw PlanError("\(path): `Number of Selected Tokens(B)` is missing or not an object", hint: "expected YuLan-Mini's data-mix format")
            }
            // Keep the file's dataset order (JSONSerialization's dictionaries do not).
            let order = keyOrder(of: "Number of Selected Tokens(B)", in: bytes) ?? selected.keys.sorted()
            var datasets: [(String, Int)] = []
            for dataset in order {
                guard let billions = (selected[dataset] as? NSNumber)?.doubleValue, billions >= 0 else {
                    throw PlanError("\(path): tokens of \(dataset) are not a number ≥ 0", hint: "expected YuLan-Mini's data-mix format")
                }
                datasets.append((dataset, Int((billions * 1e9).rounded())))
            }
            let stem = String(name.dropLast(5))
            let stage = Stage(name: stem, file: path, statedTotalBillions: total, datasets: datasets)
            let difference = Double(stage.tokens) - total * 1e9
            if abs(difference) > Double(datasets.count) {
                notes.append(String(format: "%@: `Total Tokens(B)` says %.6fB but its datasets sum to %.6fB (%+.0f tokens); the plan uses the datasets' tokens",
                                    stem, total, Double(stage.tokens) / 1e9, difference))
            }
            if let manual = root["Manual Selected Tokens(B)"] as? [String: Any] {
                let onlyManual = Set(manual.keys).subtracting(selected.keys).sorted()
                let onlySelected = Set(selected.keys).subtracting(manual.keys).sorted()
                if !onlyManual.isEmpty || !onlySelected.isEmpty {
                    notes.append("\(stem): datasets with a manual target but no selected tokens: \(onlyManual.isEmpty ? "none" : onlyManual.joined(separator: ", ")); selected without a manual target: \(onlySelected.isEmpty ? "none" : onlySelected.joined(separator: ", "))")
                }
            }
            stages.append(stage)
        }
        return YuLanMiniRecipe(stages: stages, notes: notes)
    }

    /// The keys of a top-level object member in file order, from the raw JSON.
    static func keyOrder(of member: String, in bytes: [UInt8]) -> [String]? {
        guard case let .object(members)? = try? JSONValue(parsing: bytes),
              case let .object(inner)? = members.first(where: { $0.0 == member })?.1 else { return nil }
        return inner.map(\.0)
    }

    /// Datasets in order of first appearance over the stages.
    public var datasetNames: [String] {
        var seen: Set<String> = []
        var names: [String] = []
        for stage in stages {
            for dataset in stage.datasets where seen.insert(dataset.name).inserted { names.append(dataset.name) }
        }
        return names
    }

    /// The plan YAML: declared sources (available = what all stages took), one stage per file with its
    /// datasets' tokens as weights, annealing for phases 26–27, and YuLan-Mini's WSD learning rate.
    public func planYAML(name: String = "yulan-mini", sourceFolder: String) -> String {
        func quoted(_ text: String) -> String {
            var bytes: [UInt8] = []
            JSONEscaping.appendQuoted(text, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        var taken: [String: Int] = [:]
        for stage in stages { for dataset in stage.datasets { taken[dataset.name, default: 0] += dataset.tokens } }
        var text = """
            # YuLan-Mini's curriculum (SPEC.md §5), imported by `syllabus import-recipe yulan-mini` from the \(stages.count)
            # per-stage data-mix files in \(sourceFolder).
            # Each stage takes exactly the tokens per dataset its file records (`Number of Selected Tokens(B)` × 10^9,
            # rounded); `syllabus plan --explain` prints them. The sources only declare the tokens all stages took
            # (available_tokens), so this plan can be explained but not turned into manifests until each source
            # gets `paths:` to its curated shards. Phase 26 has two files (4K and 28K context), both kept.

            name: \(name)
            seed: 0

            sources:

            """
        for dataset in datasetNames {
            text += "  \(quoted(dataset)): {available_tokens: \(taken[dataset] ?? 0)}\n"
        }
        text += "\nstages:\n"
        for stage in stages {
            let annealing = stage.name.hasPrefix("26") || stage.name.hasPrefix("27")
            text += "  - name: \(quoted(stage.name))\n"
            text += "    tokens: \(stage.tokens)  # file: Total Tokens(B) = \(stage.statedTotalBillions)\n"
            text += "    phase: \(annealing ? "annealing" : "stable")\n"
            text += "    mixture:\n      by: source\n      ratios:\n"
            for dataset in stage.datasets where dataset.tokens > 0 {
                text += "        \(quoted(dataset.name)): \(dataset.tokens)\n"
            }
        }
        text += """

            # WSD as YuLan-Mini trained: 10B tokens of warm-up, 1e-2 held, then 1−sqrt decay over the last 80B tokens
            # (SPEC.md §5; their run stopped at step 18,802 of a 19,000-step decay, at 5.22e-5). Batch ≈ 4M tokens.
            learning_rate:
              peak: 1e-2
              final: 0
              warmup_tokens: 10B
              decay_tokens: 80B
              decay_style: 1-sqrt
              tokens_per_step: 4194304

            """
        return text
    }
}

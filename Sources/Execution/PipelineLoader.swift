import Corpus
import Curation
import Tokenization
import Foundation

/// Reads a pipeline YAML file into a `PipelineConfig`, with errors that name the key path.
public enum PipelineLoader {
    /// Every step a pipeline can name, by YAML name.
    public static let stepDefinitions: [StepDefinition] = CurationSteps.definitions + TokenizationSteps.definitions

    public static let defaultSplitBytes = 128 << 20

    public static func load(path: String) throws -> PipelineConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(keyPath: "(file)", location: nil, message: "cannot read pipeline file '\(path)'")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(keyPath: "(file)", location: nil, message: "'\(path)' is not UTF-8 text")
        }
        let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        return try parse(text, file: path, baseFolder: folder)
    }

    /// Parses pipeline YAML; relative paths in it are taken relative to `baseFolder`.
    public static func parse(_ text: String, file: String = "pipeline.yaml", baseFolder: String) throws(ConfigError) -> PipelineConfig {
        let tree = try YAMLConfigParser.parse(text, file: file)
        let root = try ConfigReader(tree, keyPath: "")
        let name = try root.string("name") ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent

        guard let inputsValue = root.value("inputs") else {
            throw root.error("inputs", "is required: a mapping of source names to {paths: [globs]}")
        }
        guard case let .mapping(inputEntries, _) = inputsValue, !inputEntries.isEmpty else {
            throw ConfigError(keyPath: "inputs", location: inputsValue.location,
                              message: "expected a mapping of source names to {paths: [globs]}, e.g. `web: {paths: [data/web/*.jsonl]}`")
        }
        var inputs: [PipelineConfig.Input] = []
        for (sourceName, value) in inputEntries {
            let keyPath = "inputs.\(sourceName)"
            guard NameCharacters.isValid(sourceName, punctuation: "_.-") else {
                throw ConfigError(keyPath: keyPath, location: value.location,
                                  message: "source names may use letters, digits, '_', '-' and '.' only (they name output folders)")
            }
            let patterns: [String]
            let format: RecordFormat
            if case .scalar = value {
                patterns = [try ConfigReader(.mapping([("paths", value)], value.location), keyPath: keyPath).strings("paths")!]
                    .flatMap { $0 }
                format = RecordFormat()
            } else {
                let reader = try ConfigReader(value, keyPath: keyPath)
                guard let globs = try reader.strings("paths"), !globs.isEmpty else {
                    throw reader.error("paths", "is required: a list of file globs such as data/web/*.jsonl.zst")
                }
                patterns = globs
                format = RecordFormat(textField: try reader.string("text_field", default: "text"),
                                      idField: try reader.string("id_field", default: "id"))
                try reader.finish()
            }
            inputs.append(.init(name: sourceName, patterns: patterns.map { absolute($0, in: baseFolder) },
                                format: format, keyPath: keyPath))
        }

        var steps: [PipelineConfig.ConfiguredStep] = []
        if let stepsValue = root.value("steps") {
            guard case let .sequence(items, _) = stepsValue else {
                throw ConfigError(keyPath: "steps", location: stepsValue.location, message: "expected a list of steps, e.g. `- length: {min_words: 50}`")
            }
            for (index, item) in items.enumerated() {
                steps.append(try configureStep(item, keyPath: "steps[\(index)]"))
            }
        }

        let outputValue = root.value("output")
        guard let outputValue else {
            throw root.error("output", "is required: `output: {path: runs/NAME}` (or `output: runs/NAME`)")
        }
        let output: PipelineConfig.Output
        if case let .scalar(path, _) = outputValue {
            output = .init(path: absolute(path, in: baseFolder), compression: .zstd, compressionLevel: nil,
                           limits: .init(maxDocuments: nil, maxBytes: 1 << 30), keepDropped: false)
        } else {
            let reader = try ConfigReader(outputValue, keyPath: "output")
            let compression = try reader.choice("compression", as: Compression.self) ?? .zstd
            let levelRange = compression == .gzip ? 1...9 : -7...22
            output = .init(
                path: absolute(try reader.requiredString("path"), in: baseFolder),
                compression: compression,
                compressionLevel: try reader.int("compression_level", range: levelRange),
                limits: .init(maxDocuments: try reader.int("max_documents_per_shard", range: 1...Int.max),
                              maxBytes: try reader.byteSize("max_bytes_per_shard") ?? (1 << 30)),
                keepDropped: try reader.bool("keep_dropped") ?? false)
            try reader.finish()
        }

        let workers = try root.int("workers", range: 1...4096)
        let onError = try root.choice("on_error", as: ErrorPolicy.self) ?? .fail
        let splitBytes = try root.byteSize("split_bytes") ?? defaultSplitBytes
        guard splitBytes >= 1 << 16 else { throw root.error("split_bytes", "must be at least 64KiB") }
        try root.finish()

        // Everything that shapes the output, in canonical form; `workers` is left out on purpose.
        var canonical = "base=" + baseFolder
        if case let .mapping(entries, _) = tree {
            for (key, value) in entries where ["inputs", "steps", "output", "on_error", "split_bytes"].contains(key) {
                canonical += ";" + key + "=" + value.canonicalText
            }
        }
        let digest = Digest.hex64(canonical)

        return PipelineConfig(name: name, inputs: inputs, steps: steps, output: output, workers: workers,
                              onError: onError, splitBytes: splitBytes, digest: digest)
    }

    /// A step entry: `- length: {min_words: 50}` or a bare `- length`.
    static func configureStep(_ item: ConfigValue, keyPath: String) throws(ConfigError) -> PipelineConfig.ConfiguredStep {
        let stepName: String
        let options: ConfigValue
        switch item {
        case let .scalar(text, location):
            stepName = text
            options = .null(location)
        case let .mapping(entries, _) where entries.count == 1:
            stepName = entries[0].0
            options = entries[0].1
        default:
            throw ConfigError(keyPath: keyPath, location: item.location,
                              message: "expected a step as `- NAME: {options}` (one key), e.g. `- length: {min_words: 50}`")
        }
        let names = stepDefinitions.map(\.name)
        guard let definition = stepDefinitions.first(where: { $0.name == stepName }) else {
            var message = "unknown step '\(stepName)'"
            if let suggestion = ConfigReader.closest(to: stepName, in: names) { message += "; did you mean '\(suggestion)'?" }
            message += " Available steps: \(names.joined(separator: ", "))"
            throw ConfigError(keyPath: keyPath, location: item.location, message: message)
        }
        let stepPath = "\(keyPath).\(stepName)"
        // `when:` belongs to the pipeline, not the step: take it out before the step reads its options.
        var stepOptions = options
        var conditions: [ConditionalStep.Condition] = []
        if case let .mapping(entries, location) = options, let when = entries.first(where: { $0.0 == "when" })?.1 {
            stepOptions = .mapping(entries.filter { $0.0 != "when" }, location)
            conditions = try parseConditions(when, keyPath: stepPath + ".when")
        }
        let reader = try ConfigReader(stepOptions, keyPath: stepPath)
        var factory = try definition.build(reader)
        try reader.finish()
        if !conditions.isEmpty {
            if let corpusWide = factory as? any CorpusWideStepFactory {
                factory = ConditionalCorpusWideFactory(inner: corpusWide, conditions: conditions)
            } else {
                factory = ConditionalStep.Factory(inner: factory, conditions: conditions)
            }
        }
        return .init(name: stepName, keyPath: stepPath, factory: factory)
    }

    /// `when: {language: en}` or `{language: [en, de], source: web}`: every field must hold one of its values.
    static func parseConditions(_ value: ConfigValue, keyPath: String) throws(ConfigError) -> [ConditionalStep.Condition] {
        guard case let .mapping(entries, _) = value, !entries.isEmpty else {
            throw ConfigError(keyPath: keyPath, location: value.location,
                              message: "expected a mapping of fields to values, e.g. `when: {language: en}`")
        }
        var conditions: [ConditionalStep.Condition] = []
        for (field, item) in entries {
            let values: [String]
            switch item {
            case let .scalar(text, _): values = [text]
            case let .sequence(items, _):
                var texts: [String] = []
                for element in items {
                    guard case let .scalar(text, _) = element else {
                        throw ConfigError(keyPath: "\(keyPath).\(field)", location: element.location, message: "expected values, found \(element.kindDescription)")
                    }
                    texts.append(text)
                }
                values = texts
            default:
                throw ConfigError(keyPath: "\(keyPath).\(field)", location: item.location, message: "expected a value or a list of values")
            }
            conditions.append(ConditionalStep.Condition(path: field, values: Set(values)))
        }
        return conditions
    }

    static func absolute(_ path: String, in folder: String) -> String {
        var joined = path
        if path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            joined = home + path.dropFirst(1)
        } else if !path.hasPrefix("/") {
            joined = (folder.isEmpty ? FileManager.default.currentDirectoryPath : folder) + "/" + path
        }
        return normalized(joined)
    }

    /// Removes `.` and `..` components and repeated slashes, keeping glob characters as they are.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }
}

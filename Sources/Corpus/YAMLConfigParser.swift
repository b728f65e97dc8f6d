import Foundation
import Yams

/// Turns YAML text into a `ConfigValue` tree that remembers lines and columns.
package enum YAMLConfigParser {
    package static func parse(_ text: String, file: String) throws(ConfigError) -> ConfigValue {
        let root: Node?
        do {
            // The basic resolver: tags of plain scalars are never read here (values stay text, and null is
            // told by `Node.null` from the text itself), and the default one compiled seven ICU regular
            // expressions at every start (5% of a one-document `curate`).
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw ConfigError(keyPath: "(file)", location: nil, message: "not valid YAML: \(error)")
        } catch {
            throw ConfigError(keyPath: "(file)", location: nil, message: "not valid YAML: \(error)")
        }
        guard let root else { return .null(ConfigLocation(file: file, line: 1, column: 1)) }
        return convert(root, file: file)
    }

    /// Reads and parses a YAML file; a missing or non-UTF-8 file is a `ConfigError` naming it.
    package static func load(path: String) throws(ConfigError) -> ConfigValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(keyPath: "(file)", location: nil, message: "cannot read '\(path)'")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(keyPath: "(file)", location: nil, message: "'\(path)' is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    private static func convert(_ node: Node, file: String) -> ConfigValue {
        let location = node.mark.map { ConfigLocation(file: file, line: $0.line, column: $0.column) }
        switch node {
        case let .scalar(scalar):
            if node.null != nil, scalar.style == .plain || scalar.style == .any { return .null(location) }
            return .scalar(scalar.string, location)
        case let .mapping(mapping):
            return .mapping(mapping.map { (key, value) in (key.string ?? "\(key)", convert(value, file: file)) }, location)
        case let .sequence(sequence):
            return .sequence(sequence.map { convert($0, file: file) }, location)
        case .alias:
            return .null(location)
        }
    }
}

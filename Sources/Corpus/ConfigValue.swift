/// A configuration tree (from YAML), independent of the parser, with where each node came from.
public indirect enum ConfigValue: Sendable {
    case scalar(String, ConfigLocation?)
    case sequence([ConfigValue], ConfigLocation?)
    case mapping([(String, ConfigValue)], ConfigLocation?)
    case null(ConfigLocation?)

    public var location: ConfigLocation? {
        switch self {
        case let .scalar(_, l), let .sequence(_, l), let .mapping(_, l), let .null(l): return l
        }
    }

    /// A short word for error messages.
    public var kindDescription: String {
        switch self {
        case .scalar: return "a value"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .null: return "nothing"
        }
    }
}

/// A line and column (1-based) in a configuration file.
public struct ConfigLocation: Sendable, Equatable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
}

/// A configuration mistake: the key path, where it is, what is wrong and what is expected.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public let keyPath: String
    public let location: ConfigLocation?
    public let message: String

    public init(keyPath: String, location: ConfigLocation?, message: String) {
        self.keyPath = keyPath
        self.location = location
        self.message = message
    }

    public var description: String {
        let place = location.map { "\($0.file):\($0.line):\($0.column): " } ?? ""
        return "\(place)\(keyPath): \(message)"
    }
}

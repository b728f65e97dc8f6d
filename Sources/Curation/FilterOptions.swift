import Corpus

/// Reading the thresholds of the heuristic filters from YAML.
///
/// As in datatrove, a threshold of 0 (or `null` in YAML) switches its rule off.
enum FilterOptions {
    /// A ratio or count threshold: absent → the default; `null` or 0 → nil (rule off).
    static func threshold(_ options: ConfigReader, _ key: String, _ fallback: Double?,
                          range: ClosedRange<Double> = 0...Double.greatestFiniteMagnitude) throws(ConfigError) -> Double? {
        if let value = try options.double(key, range: range) { return value == 0 ? nil : value }
        return options.has(key) ? nil : fallback
    }

    static func count(_ options: ConfigReader, _ key: String, _ fallback: Int?) throws(ConfigError) -> Int? {
        if let value = try options.int(key, range: 0...Int.max) { return value == 0 ? nil : value }
        return options.has(key) ? nil : fallback
    }
}

import Corpus

/// Maps a document's URL to a subject by its domain, for selecting synthesis seeds (SPEC §3):
/// `metadata.subject` (the name given by `field`) and `metadata.domain` (the host, lowercased).
///
/// - The table is SPEC §3's by default (math.stackexchange.com → Math, …); `domains:` adds entries or
///   overrides them, and `defaults: false` starts from an empty table.
/// - A host matches its own entry or that of any parent domain (`www.physicsforums.com` and
///   `meta.math.stackexchange.com` match `physicsforums.com` and `math.stackexchange.com`); the longest
///   match wins.
/// - Every document gets a defined outcome: a subject; or only `domain` when the table has no entry;
///   or `url_error: missing` (no URL field) / `url_error: unparsable` (no host in it). `syllabus stats`
///   counts each. The step never drops: follow it with `select: {field: subject, values: [Math]}`.
public final class DomainStep: Step, Sendable {
    /// SPEC §3: subject-specific seed corpora by URL domain.
    public static let defaultTable: [String: String] = [
        "math.stackexchange.com": "Math",
        "physicsforums.com": "Physics",
        "chemcollective.org": "Chemistry",
        "biology.stackexchange.com": "Biology",
        "skyandtelescope.org": "Astronomy",
        "earthscience.stackexchange.com": "Earth science",
        "stackoverflow.com": "Computer science",
        "health.stackexchange.com": "Medical science",
        "indiabix.com": "General education",
    ]

    public static let definition = StepDefinition(
        name: "domain", summary: "subject from the URL's domain (SPEC §3 table, extendable): metadata.subject and metadata.domain"
    ) { (options) throws(ConfigError) in
        var table = try options.bool("defaults") ?? true ? defaultTable : [:]
        if let value = options.value("domains") {
            guard case let .mapping(entries, _) = value else {
                throw options.error("domains", "expected a mapping of domain → subject, e.g. {mathoverflow.net: Math}")
            }
            for (domain, subject) in entries {
                guard case let .scalar(name, _) = subject, !name.isEmpty else {
                    throw ConfigError(keyPath: options.path("domains") + "." + domain, location: subject.location,
                                      message: "expected a subject name, found \(subject.kindDescription)")
                }
                guard let host = URLHost.host(of: domain), host == domain.lowercased() else {
                    throw ConfigError(keyPath: options.path("domains") + "." + domain, location: subject.location,
                                      message: "'\(domain)' is not a domain name (write it like math.stackexchange.com, without scheme or path)")
                }
                table[host] = name
            }
        }
        guard !table.isEmpty else { throw options.error("domains", "is empty and defaults: false leaves no table") }
        let step = DomainStep(table: table, urlField: try options.string("url_field", default: "url"),
                              field: try options.string("field", default: "subject"))
        return SharedStepFactory(versionedName: "domain-v1", step: step)
    }

    public let table: [String: String]
    public let urlField: String
    public let field: String

    public init(table: [String: String] = DomainStep.defaultTable, urlField: String = "url", field: String = "subject") {
        self.table = table
        self.urlField = urlField
        self.field = field
    }

    /// The subject of `host`: its entry or its nearest parent domain's.
    public func subject(ofHost host: String) -> String? {
        var rest = Substring(host)
        while true {
            if let subject = table[String(rest)] { return subject }
            guard let dot = rest.firstIndex(of: ".") else { return nil }
            rest = rest[rest.index(after: dot)...]
        }
    }

    public func process(_ document: inout Document) -> Verdict {
        guard let value = document.value(at: urlField), let url = value.stringValue, !url.isEmpty else {
            document.metadata["url_error"] = .string("missing")
            return .keep
        }
        guard let host = URLHost.host(of: url) else {
            document.metadata["url_error"] = .string("unparsable")
            return .keep
        }
        document.metadata["domain"] = .string(host)
        if let subject = subject(ofHost: host) { document.metadata[field] = .string(subject) }
        return .keep
    }
}

/// The host of a URL, lowercased, without user, port or trailing dot; also of a bare `host/path`.
/// nil when there is no plausible host name.
enum URLHost {
    static func host(of url: String) -> String? {
        var rest = Substring(url).drop(while: { $0 == " " || $0 == "\t" })
        while rest.last == " " || rest.last == "\t" { rest = rest.dropLast() }
        if let scheme = rest.range(of: "://") {
            let name = rest[..<scheme.lowerBound]
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) else { return nil }
            rest = rest[scheme.upperBound...]
        } else if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
        }
        if let end = rest.firstIndex(where: { "/?#".contains($0) }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if let colon = rest.lastIndex(of: ":"), rest[rest.index(after: colon)...].allSatisfy(\.isNumber) { rest = rest[..<colon] }
        while rest.hasSuffix(".") { rest = rest.dropLast() }
        let host = rest.lowercased()
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 || host == "localhost",
              labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 && !$0.hasPrefix("-") && !$0.hasSuffix("-")
                  && $0.unicodeScalars.allSatisfy { ($0.isASCII && (ASCIIClass.isAlnum($0) || $0 == "-")) || !$0.isASCII } })
        else { return nil }
        return host
    }
}

private enum ASCIIClass {
    static func isAlnum(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") || (scalar >= "A" && scalar <= "Z")
    }
}

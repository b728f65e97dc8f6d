import Testing
import Corpus

/// Builds config trees tersely.
func scalar(_ text: String, line: Int? = nil) -> ConfigValue {
    .scalar(text, line.map { ConfigLocation(file: "pipeline.yaml", line: $0, column: 3) })
}

func mapping(_ entries: (String, ConfigValue)...) -> ConfigValue {
    .mapping(entries, ConfigLocation(file: "pipeline.yaml", line: 1, column: 1))
}

func sequence(_ items: ConfigValue...) -> ConfigValue { .sequence(items, nil) }

/// The error a throwing expression raises, or nil.
func configError(_ body: () throws -> Void) -> ConfigError? {
    do {
        try body()
        return nil
    } catch {
        return error as? ConfigError
    }
}

@Suite("ConfigReader")
struct ConfigReaderTests {
    @Test func typedAccessors() throws {
        let reader = try ConfigReader(mapping(
            ("name", scalar("web")),
            ("count", scalar("1_000")),
            ("ratio", scalar("0.25")),
            ("on", scalar("yes")),
            ("off", scalar("False")),
            ("langs", sequence(scalar("en"), scalar("zh"))),
            ("one", scalar("solo")),
            ("compression", scalar("gzip")),
            ("nothing", .null(nil))
        ), keyPath: "inputs[0]")
        #expect(try reader.string("name") == "web")
        #expect(try reader.requiredString("name") == "web")
        #expect(try reader.int("count") == 1000)
        #expect(try reader.double("ratio") == 0.25)
        #expect(try reader.bool("on") == true)
        #expect(try reader.bool("off") == false)
        #expect(try reader.strings("langs") == ["en", "zh"])
        #expect(try reader.strings("one") == ["solo"])
        #expect(try reader.choice("compression", as: Compression.self) == .gzip)
        #expect(try reader.string("nothing") == nil)
        #expect(try reader.int("absent") == nil)
        #expect(try reader.string("absent", default: "fallback") == "fallback")
        #expect(reader.has("name") && !reader.has("absent"))
        #expect(reader.path("x") == "inputs[0].x")
        try reader.finish()
    }

    @Test(arguments: [
        ("500MB", 500_000_000), ("2GiB", 2_147_483_648), ("64k", 64_000), ("64KiB", 65_536), ("1.5GiB", 1_610_612_736),
        ("1000000", 1_000_000), ("10 mb", 10_000_000), ("1_000B", 1000), ("3tb", 3_000_000_000_000), ("0", 0),
    ])
    func byteSizes(_ text: String, _ bytes: Int) throws {
        let reader = try ConfigReader(mapping(("size", scalar(text))), keyPath: "output")
        #expect(try reader.byteSize("size") == bytes)
    }

    @Test(arguments: ["lots", "5XB", "-5MB", "MB", "1.2.3GB", "", "20000000TB", "99999999999999999999"])
    func invalidByteSizesAreErrorsNotCrashes(_ text: String) throws {
        let reader = try ConfigReader(mapping(("max_bytes", scalar(text, line: 7))), keyPath: "output")
        let error = try #require(configError { _ = try reader.byteSize("max_bytes") })
        #expect(error.keyPath == "output.max_bytes")
        #expect(error.message.contains("500MB"))
        #expect(error.location?.line == 7)
    }

    @Test func unknownKeyNamesThePathAndSuggestsTheClosestKey() throws {
        let reader = try ConfigReader(mapping(
            ("min_characters", scalar("10")),
            ("max_charactrs", scalar("100", line: 4))
        ), keyPath: "steps[1]")
        _ = try reader.int("min_characters")
        _ = try reader.int("max_characters")
        _ = try reader.int("min_words")
        let error = try #require(configError { try reader.finish() })
        #expect(error.keyPath == "steps[1].max_charactrs")
        #expect(error.message.contains("unknown option 'max_charactrs'"))
        #expect(error.message.contains("did you mean 'max_characters'?"))
        #expect(error.message.contains("min_words"))
        #expect(error.location == ConfigLocation(file: "pipeline.yaml", line: 4, column: 3))
        #expect(error.description.hasPrefix("pipeline.yaml:4:3: steps[1].max_charactrs: "))
    }

    @Test func unknownKeyFarFromAnyKnownOneHasNoSuggestion() throws {
        let reader = try ConfigReader(mapping(("banana", scalar("1"))), keyPath: "")
        _ = try reader.int("min_words")
        let error = try #require(configError { try reader.finish() })
        #expect(error.keyPath == "banana")
        #expect(!error.message.contains("did you mean"))
        #expect(error.message.contains("Expected one of: min_words"))
    }

    @Test func closestSuggestion() {
        #expect(ConfigReader.closest(to: "fracton", in: ["fraction", "seed"]) == "fraction")
        #expect(ConfigReader.closest(to: "seeed", in: ["fraction", "seed"]) == "seed")
        #expect(ConfigReader.closest(to: "zzzzzz", in: ["fraction", "seed"]) == nil)
        #expect(ConfigReader.closest(to: "x", in: []) == nil)
    }

    @Test func wrongTypesAreErrorsWithTheKeyPath() throws {
        let reader = try ConfigReader(mapping(
            ("n", scalar("ten")),
            ("m", mapping(("a", scalar("1")))),
            ("r", scalar("1.5")),
            ("b", scalar("maybe")),
            ("big", scalar("99999999999999999999")),
            ("neg", scalar("-3")),
            ("list", sequence(scalar("a"), mapping(("x", scalar("y"))))),
            ("c", scalar("lz4")),
            ("s", sequence(scalar("a"))),
            ("nan", scalar("nan"))
        ), keyPath: "steps[0]")
        let cases: [(String, () throws -> Void, String)] = [
            ("steps[0].n", { _ = try reader.int("n") }, "expected an integer, found 'ten'"),
            ("steps[0].m", { _ = try reader.int("m") }, "found a mapping"),
            ("steps[0].r", { _ = try reader.double("r", range: 0...1) }, "between 0.0 and 1.0"),
            ("steps[0].b", { _ = try reader.bool("b") }, "true or false"),
            ("steps[0].big", { _ = try reader.int("big") }, "integer"),
            ("steps[0].neg", { _ = try reader.int("neg", range: 0...Int.max) }, "must be between 0"),
            ("steps[0].list[1]", { _ = try reader.strings("list") }, "expected a string, found a mapping"),
            ("steps[0].c", { _ = try reader.choice("c", as: Compression.self) }, "none, gzip, zstd"),
            ("steps[0].s", { _ = try reader.string("s") }, "found a list"),
            ("steps[0].nan", { _ = try reader.double("nan") }, "expected a number"),
            ("steps[0].missing", { _ = try reader.requiredString("missing") }, "is required"),
        ]
        for (path, body, text) in cases {
            let error = configError(body)
            #expect(error?.keyPath == path)
            #expect(error?.message.contains(text) == true, "\(path): \(error?.message ?? "no error")")
        }
    }

    @Test func optionsMustBeAMappingOrNothing() throws {
        #expect(try ConfigReader(.null(nil), keyPath: "steps[0].length").has("x") == false)
        let error = configError { _ = try ConfigReader(scalar("oops"), keyPath: "steps[0].length") }
        #expect(error?.keyPath == "steps[0].length")
        #expect(error?.message.contains("expected a mapping") == true)
    }

    @Test func theLastOfRepeatedKeysWins() throws {
        let reader = try ConfigReader(mapping(("n", scalar("1")), ("n", scalar("2"))), keyPath: "k")
        #expect(try reader.int("n") == 2)
        try reader.finish()
    }
}

// swift-tools-version:6.0
import Foundation
import PackageDescription

// MinHash's 64-bit permutation loop runs 4 lanes wide with AVX2, 3.9× the baseline x86-64 (SSE2) code.
// Build for it when the building machine has it (binaries are built where they run, as on a cluster);
// SYLLABUS_PORTABLE=1 builds for any x86-64.
let buildsForAVX2 = ProcessInfo.processInfo.environment["SYLLABUS_PORTABLE"] == nil
    && ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.contains(" avx2") ?? false)
let vectorFlags: [SwiftSetting] = buildsForAVX2 ? [.unsafeFlags(["-target-cpu", "haswell"])] : []

// Module layout and dependency rules: ../shared/DESIGN.md and each module's README.md.
let package = Package(
    name: "Syllabus",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "syllabus", targets: ["syllabus"]),
        .library(name: "SyllabusCore", targets: ["Corpus", "Models", "Curation", "Tokenization", "Execution", "Curriculum"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // C libraries from Debian's -dev packages (the Makefile installs them).
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CXXHash", path: "Sources/CXXHash", pkgConfig: "libxxhash",
                       providers: [.apt(["libxxhash-dev"])]),
        .systemLibrary(name: "CPCRE2", path: "Sources/CPCRE2", pkgConfig: "libpcre2-8",
                       providers: [.apt(["libpcre2-dev"])]),
        // glibc's <malloc.h> (mallopt) and the prefetch builtin: part of libc and the compiler, nothing to install.
        .systemLibrary(name: "CSystem", path: "Sources/CSystem"),

        // Hot loops keep state in class properties; the runtime exclusivity checks on them cost 5% of
        // encoding time in `perf` (swift_beginAccess + TLS). Access is per-thread by construction.
        .target(name: "Corpus", dependencies: ["CZstd", "CZlib", "CXXHash", .product(name: "Yams", package: "Yams")], exclude: ["README.md"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // fastText (and later n-gram LM) file formats and inference; hot loops like Tokenization's.
        .target(name: "Models", dependencies: ["Corpus", "CSystem"], exclude: ["README.md"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"]),
                                .unsafeFlags(["-O"], .when(configuration: .debug))]),
        // Optimised in debug builds too: the filter parity tests run four filters over 3,521 real documents.
        .target(name: "Curation", dependencies: ["Corpus", "Models", "CXXHash"], exclude: ["README.md"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"]),
                                .unsafeFlags(["-O"], .when(configuration: .debug))] + vectorFlags),
        // Optimised in debug builds too: the parity tests encode 50 MB of real text per tokenizer.
        .target(name: "Tokenization", dependencies: ["Corpus", "CPCRE2", "CXXHash"], exclude: ["README.md"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"]),
                                .unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "Execution", dependencies: ["Corpus", "Curation", "Tokenization"], exclude: ["README.md"]),
        .target(name: "Curriculum", dependencies: ["Corpus", "Tokenization"], exclude: ["README.md"]),
        .target(name: "SyllabusCommands", dependencies: [
            "Corpus", "Execution", "Tokenization", "Curriculum", "Models", "Curation",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], exclude: ["README.md"]),
        .executableTarget(name: "syllabus", dependencies: ["SyllabusCommands", "CSystem"]),

        .testTarget(name: "CorpusTests", dependencies: ["Corpus"]),
        .testTarget(name: "CurationTests", dependencies: ["Curation", "Corpus"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Corpus"]),
        .testTarget(name: "TokenizationTests", dependencies: ["Tokenization", "Corpus", "CXXHash"]),
        .testTarget(name: "ExecutionTests", dependencies: ["Execution", "Corpus", "Curation"]),
        .testTarget(name: "CurriculumTests", dependencies: ["Curriculum", "Execution", "Corpus", "Tokenization"]),
        .testTarget(name: "SyllabusCommandsTests", dependencies: ["SyllabusCommands", "Execution", "Corpus", "Models", "Curation"]),
    ]
)

import Foundation
import Testing
import Corpus

@Suite("Glob")
struct GlobTests {
    /// root/a.jsonl, b.jsonl, c.txt, ab.jsonl, .hidden.jsonl, sub/x.jsonl, sub/deep/y.jsonl, sub/deep/z.txt,
    /// .secret/s.jsonl, a.jsonl.zst
    static func makeTree() throws -> TempDir {
        let dir = try TempDir()
        for name in ["a.jsonl", "b.jsonl", "c.txt", "ab.jsonl", ".hidden.jsonl", "sub/x.jsonl", "sub/deep/y.jsonl",
                     "sub/deep/z.txt", ".secret/s.jsonl", "a.jsonl.zst", "sub2/x.jsonl"] {
            let url = dir.url.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("{}\n".utf8).write(to: url)
        }
        return dir
    }

    @Test func wildcardsWithinAComponent() throws {
        let dir = try Self.makeTree()
        defer { dir.cleanup() }
        let root = dir.path
        #expect(Glob.expand(root + "/*.jsonl") == ["a.jsonl", "ab.jsonl", "b.jsonl"].map { root + "/" + $0 })
        #expect(Glob.expand(root + "/?.jsonl") == ["a.jsonl", "b.jsonl"].map { root + "/" + $0 })
        #expect(Glob.expand(root + "/[ab].jsonl") == ["a.jsonl", "b.jsonl"].map { root + "/" + $0 })
        #expect(Glob.expand(root + "/[!a]*") == ["b.jsonl", "c.txt"].map { root + "/" + $0 })
        #expect(Glob.expand(root + "/*/x.jsonl") == [root + "/sub/x.jsonl", root + "/sub2/x.jsonl"])
        #expect(Glob.expand(root + "/a.jsonl*") == [root + "/a.jsonl", root + "/a.jsonl.zst"])
    }

    @Test func doubleStarMatchesZeroOrMoreFolders() throws {
        let dir = try Self.makeTree()
        defer { dir.cleanup() }
        let root = dir.path
        #expect(Glob.expand(root + "/**/*.jsonl") == [
            "a.jsonl", "ab.jsonl", "b.jsonl", "sub/deep/y.jsonl", "sub/x.jsonl", "sub2/x.jsonl",
        ].map { root + "/" + $0 })
        #expect(Glob.expand(root + "/sub/**/*.txt") == [root + "/sub/deep/z.txt"])
        #expect(Glob.expand(root + "/**/deep/*") == [root + "/sub/deep/y.jsonl", root + "/sub/deep/z.txt"])
        #expect(Glob.expand(root + "/sub/**/x.jsonl") == [root + "/sub/x.jsonl"])
        #expect(Glob.expand(root + "/sub/**") == [root + "/sub/deep/y.jsonl", root + "/sub/deep/z.txt", root + "/sub/x.jsonl"])
    }

    @Test func hiddenFilesAndFoldersAreNotMatchedByWildcards() throws {
        let dir = try Self.makeTree()
        defer { dir.cleanup() }
        let root = dir.path
        let all = Glob.expand(root + "/**/*")
        #expect(!all.isEmpty)
        #expect(!all.contains { $0.contains("/.") })
        // Named explicitly, they are found.
        #expect(Glob.expand(root + "/.hidden.jsonl") == [root + "/.hidden.jsonl"])
        #expect(Glob.expand(root + "/.*.jsonl") == [root + "/.hidden.jsonl"])
    }

    @Test func noMatchLiteralPathsAndFolders() throws {
        let dir = try Self.makeTree()
        defer { dir.cleanup() }
        let root = dir.path
        #expect(Glob.expand(root + "/*.parquet").isEmpty)
        #expect(Glob.expand(root + "/nothing/**/*.jsonl").isEmpty)
        #expect(Glob.expand(root + "/c.txt") == [root + "/c.txt"])
        #expect(Glob.expand(root + "/missing.txt").isEmpty)
        #expect(Glob.expand(root + "/sub").isEmpty, "a folder is not a file")
        #expect(Glob.expand(root + "/su?").isEmpty, "folders are not matched as files")
    }

    @Test func resultsAreSorted() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let names = (0..<60).map { "f\(($0 * 37) % 60).jsonl" } + ["Z.jsonl", "_.jsonl", "a-b.jsonl"]
        for name in names { _ = try dir.write(name, "{}\n") }
        let found = Glob.expand(dir.path + "/*.jsonl")
        #expect(found.count == names.count)
        #expect(found == found.sorted())
        #expect(Set(found) == Set(names.map { dir.path + "/" + $0 }))
    }

    @Test func relativePatternsGiveRelativePaths() throws {
        // The example data, relative to the package root (the test may run from any folder, so compare
        // the relative result with the absolute one).
        let root = packageRoot().path
        let absolute = Glob.expand(root + "/examples/data/*/*.jsonl")
        #expect(absolute.count == 2)
        let previous = FileManager.default.currentDirectoryPath
        #expect(FileManager.default.changeCurrentDirectoryPath(root))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        #expect(Glob.expand("examples/data/*/*.jsonl") == absolute.map { String($0.dropFirst(root.count + 1)) })
    }
}

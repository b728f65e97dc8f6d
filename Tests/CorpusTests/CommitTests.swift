import Foundation
import Testing
@testable import Corpus

/// Outputs are written aside and moved into place: an older file is replaced, a device is written
/// directly, and nothing is left at the staging name.
@Suite struct CommitTests {
    @Test func aStagedFileReplacesTheOldOneOrIsNew() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        for existing in [true, false] {
            let path = dir.file("out-\(existing).jsonl")
            if existing { _ = try dir.write("out-\(existing).jsonl", "old contents, longer than the new\n") }
            let staging = FileSystem.stagingPath(for: path)
            #expect(staging == path + ".tmp")
            try FileSystem.writeAtomically(Array("new\n".utf8), to: path)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
            #expect(!FileManager.default.fileExists(atPath: staging))
        }
    }

    @Test func aLinkAtTheDestinationIsReplacedNotFollowed() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let target = try dir.write("target.jsonl", "target\n")
        let link = dir.file("link.jsonl")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        try FileSystem.writeAtomically(Array("new\n".utf8), to: link)
        #expect(try String(contentsOfFile: link, encoding: .utf8) == "new\n")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "target\n")
    }

    @Test func aDeviceIsWrittenInPlace() throws {
        #expect(FileSystem.stagingPath(for: "/dev/null") == "/dev/null")
        try FileSystem.writeAtomically(Array("discarded\n".utf8), to: "/dev/null")
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
    }
}

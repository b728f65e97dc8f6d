import Corpus
import Execution
import Foundation
import Synchronization

/// Collects a `CorpusProfile` over files and folders, in parallel over files.
enum CorpusStatistics {
    struct Report: Codable {
        var files: Int
        var profile: CorpusProfile
        /// Step statistics of the run folders given, by folder.
        var runs: [String: RunSummary]
    }

    /// Finds JSONL files under `paths` with the group each belongs to.
    static func discover(_ paths: [String]) throws(CorpusError) -> (files: [(path: String, group: String)], runs: [String: RunSummary]) {
        var files: [(String, String)] = []
        var runs: [String: RunSummary] = [:]
        for path in paths {
            guard FileSystem.exists(path) else {
                throw CorpusError(.cannotOpen, path: path, message: "no such file or folder", hint: "check the path")
            }
            guard FileSystem.isDirectory(path) else {
                files.append((path, String(path.split(separator: "/").last ?? "")))
                continue
            }
            var root = path
            while root.count > 1, root.hasSuffix("/") { root.removeLast() }
            let folder = RunFolder(root: root)
            if FileSystem.exists(folder.manifestPath) {
                if let data = try? FileSystem.readFile(folder.statsPath),
                   let summary = try? JSONDecoder().decode(RunSummary.self, from: Data(data)) {
                    runs[root] = summary
                }
                root = folder.outputFolder
            }
            for file in Glob.expand(root + "/**/*.jsonl*") where isJSONL(file) {
                let relative = file.dropFirst(root.count + 1)
                let parent = relative.split(separator: "/").dropLast().joined(separator: "/")
                files.append((file, parent.isEmpty ? String(root.split(separator: "/").last ?? "") : parent))
            }
        }
        return (files, runs)
    }

    static func isJSONL(_ path: String) -> Bool {
        path.hasSuffix(".jsonl") || path.hasSuffix(".jsonl.gz") || path.hasSuffix(".jsonl.zst")
    }

    static func collect(paths: [String]) throws -> Report {
        let (files, runs) = try discover(paths)
        let state = Mutex((profile: CorpusProfile(), error: CorpusError?.none))
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let (path, group) = files[index]
            var profile = CorpusProfile()
            do throws(CorpusError) {
                let reader = try JSONLReader(path: path)
                while let entry = try reader.next() {
                    switch entry {
                    case let .document(document): profile.add(document, group: group)
                    case let .problem(problem, _, _): profile.addProblem(problem)
                    }
                }
                state.withLock { $0.profile.merge(profile) }
            } catch {
                state.withLock { if $0.error == nil { $0.error = error } }
            }
        }
        let (profile, error) = state.withLock { ($0.profile, $0.error) }
        if let error { throw error }
        return Report(files: files.count, profile: profile, runs: runs)
    }

    static func render(_ report: Report, top: Int) -> String {
        let profile = report.profile
        var out: [String] = []
        for (folder, run) in report.runs.sorted(by: { $0.key < $1.key }) {
            out.append(SummaryReport.render(run, outputFolder: folder, workers: 0, seconds: .nan)
                .split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).dropLast(2).joined(separator: "\n"))
            out.append("")
        }
        var rows: [[String]] = profile.groups.keys.sorted().map { name in
            let t = profile.groups[name]!
            return [name, Format.count(t.documents), Format.bytes(t.bytes), Format.count(t.characters),
                    Format.count(t.documents == 0 ? 0 : t.characters / t.documents)]
        }
        let t = profile.total
        rows.append(["total (\(report.files) files)", Format.count(t.documents), Format.bytes(t.bytes), Format.count(t.characters),
                     Format.count(t.documents == 0 ? 0 : t.characters / t.documents)])
        out.append(Format.table(["source", "documents", "text bytes", "characters", "chars/doc"], rows))
        if !profile.problems.isEmpty {
            out.append("")
            out.append("invalid lines: " + profile.problems.sorted { $0.key < $1.key }.map { "\($0.key) \(Format.count($0.value))" }.joined(separator: ", "))
        }
        if !profile.fields.isEmpty {
            out.append("")
            var fieldRows: [[String]] = []
            for name in profile.fields.keys.sorted() {
                let field = profile.fields[name]!
                var summary: String
                // Numbers are summarized unless they are few integers (counts, years) listed as values.
                let listed = field.values.values.reduce(0, +)
                if field.numericCount > 0, field.values.count > top || listed < field.numericCount {
                    summary = String(format: "mean %.4g, min %.4g, max %.4g", field.numericSum / Double(field.numericCount),
                                     field.numericMin ?? 0, field.numericMax ?? 0)
                } else if field.values.isEmpty {
                    summary = "(objects or lists)"
                } else if field.values.count > top, (field.values.values.max() ?? 0) * 50 < field.documents {
                    // Identifiers, urls, free text: listing values says nothing.
                    summary = "\(field.valuesTruncated ? "\(field.values.count)+" : String(field.values.count)) distinct values, none common"
                } else {
                    let ranked = field.values.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                    summary = ranked.prefix(top).map { "\(truncate($0.key)) \(Format.count($0.value))" }.joined(separator: ", ")
                    let distinct = field.valuesTruncated ? "\(field.values.count)+" : String(field.values.count)
                    if ranked.count > top { summary += ", … (\(distinct) distinct)" }
                }
                fieldRows.append([name, Format.count(field.documents), summary])
            }
            out.append(Format.table(["field", "documents", "values"], fieldRows))
        }
        return out.joined(separator: "\n")
    }

    private static func truncate(_ text: String, to length: Int = 32) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count > length ? String(flat.prefix(length - 1)) + "…" : flat
    }
}

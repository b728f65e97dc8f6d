#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Expands file globs: `*`, `?` and `[...]` within a path component (fnmatch rules), `**` for any
/// number of folders. Results are sorted, so plans are the same on every machine.
public enum Glob {
    public static func expand(_ pattern: String) -> [String] {
        let absolute = pattern.hasPrefix("/")
        let components = pattern.split(separator: "/").map(String.init)
        // The literal prefix of the pattern is where the walk starts.
        var root = absolute ? "/" : "."
        var index = 0
        while index < components.count, !hasWildcard(components[index]) {
            root = join(root, components[index])
            index += 1
        }
        if index == components.count {
            return FileSystem.exists(root) && !FileSystem.isDirectory(root) ? [display(root, absolute: absolute)] : []
        }
        var results: [String] = []
        walk(root, Array(components[index...]), &results)
        return results.map { display($0, absolute: absolute) }.sorted()
    }

    private static func walk(_ folder: String, _ rest: [String], _ results: inout [String]) {
        guard let head = rest.first else { return }
        let tail = Array(rest.dropFirst())
        if head == "**" {
            if tail.isEmpty {  // `dir/**`: every file below
                for name in FileSystem.contents(of: folder) where !name.hasPrefix(".") {
                    let path = join(folder, name)
                    if FileSystem.isDirectory(path) { walk(path, rest, &results) } else { results.append(path) }
                }
                return
            }
            walk(folder, tail, &results)  // zero folders
            for name in FileSystem.contents(of: folder) where !name.hasPrefix(".") {
                let path = join(folder, name)
                if FileSystem.isDirectory(path) { walk(path, rest, &results) }
            }
            return
        }
        for name in FileSystem.contents(of: folder) where fnmatch(head, name, FNM_PERIOD) == 0 {
            let path = join(folder, name)
            if tail.isEmpty {
                if !FileSystem.isDirectory(path) { results.append(path) }
            } else if FileSystem.isDirectory(path) {
                walk(path, tail, &results)
            }
        }
    }

    public static func hasWildcard(_ text: String) -> Bool {
        text.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    private static func join(_ folder: String, _ name: String) -> String {
        folder == "/" ? "/" + name : folder + "/" + name
    }

    private static func display(_ path: String, absolute: Bool) -> String {
        if !absolute, path.hasPrefix("./") { return String(path.dropFirst(2)) }
        return path
    }
}

import MklnkCore
import MklnkFileSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An include list (`--from FILE`, `--from -` for stdin): targets one per line, or separated by
/// NUL with `--null`, as MKLNK's include lists, `tar -T` and `rsync --files-from` read them.
/// Each entry is a name, never a pattern; relative names start at the current directory; empty
/// entries are skipped; in line mode a line's trailing CR is dropped (lists written on Windows),
/// so a name holding CR or LF needs `--null`.
struct IncludeList {
    /// The list as diagnostics name it: the path as given, or `<stdin>`.
    let name: String
    let null: Bool

    init(_ source: String, null: Bool) {
        name = source == "-" ? "<stdin>" : source
        self.null = null
    }

    struct Unreadable: Error {
        var reason: String
    }

    /// The targets (absolute, as literal patterns) with the place each was read; a missing
    /// entry is an error at its line, a repeated one a warning.
    func read(from source: String, cwd: Path) throws(Unreadable) -> ([Located<Path>], Diagnostics) {
        let bytes = try source == "-" ? Self.readStandardInput()
            : Self.readFile(Paths.absolute(RawArguments.path(source), base: cwd))
        let file = SourceFile(name)
        let fs = LocalFileSystem(root: "/")
        var diagnostics = Diagnostics()
        var targets: [Located<Path>] = []
        var seen: [Path: Int] = [:]
        let separator = null ? UInt8(0) : UInt8(ascii: "\n")
        for (index, record) in bytes.split(separator: separator, omittingEmptySubsequences: false).enumerated() {
            var entry = record[...]
            if !null && entry.last == UInt8(ascii: "\r") { entry = entry.dropLast() }
            if entry.isEmpty { continue }
            // The bytes as listed: a name that is not UTF-8 is still that file.
            let text = Path(bytes: entry)
            let place = SourceLocation(file, line: index + 1, column: 1)
            let path = Paths.absolute(text, base: cwd)
            if let first = seen[path] {
                diagnostics.warning("\(text) is listed again (first on line \(first)); linked once", at: place)
                continue
            }
            seen[path] = index + 1
            do {
                guard try fs.status(path, follow: false) != nil else {
                    diagnostics.error("\(text): no such file or directory (listed in \(name))", at: place,
                                      failure: .cannotApply)
                    continue
                }
            } catch {
                diagnostics.error("\(text): \(error.reason) (listed in \(name))", at: place, failure: .cannotApply)
                continue
            }
            targets.append(Located(PathPattern.literal(path), at: place))
        }
        return (targets, diagnostics)
    }

    private static func readFile(_ path: Path) throws(Unreadable) -> [UInt8] {
        let bytes: [UInt8]?
        do {
            bytes = try LocalFileSystem(root: "/").readFile(path)
        } catch {
            throw Unreadable(reason: error.reason)
        }
        guard let bytes else { throw Unreadable(reason: "no such file or directory") }
        return bytes
    }

    private static func readStandardInput() throws(Unreadable) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw Unreadable(reason: String(cString: strerror(errno))) }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
        }
    }
}

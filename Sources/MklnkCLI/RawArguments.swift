import MklnkCore
import MklnkFileSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of path arguments as the shell passed them.
///
/// Swift decodes `argv` into Strings, replacing bytes that are not UTF-8 with U+FFFD, so
/// `mklnk show $'bad\xff'` would ask about `bad\u{FFFD}`, another file. A parsed argument that
/// holds no U+FFFD is exactly its bytes; one that does is looked up among the raw arguments (and
/// the values of `--option=value` forms) that decode to it. When several distinct raw arguments
/// decode to the same text, they are handed out in command-line order, as a positional list
/// consumes them.
enum RawArguments {
    /// The bytes `parsed` came from.
    static func path(_ parsed: String) -> Path {
        guard parsed.unicodeScalars.contains("\u{FFFD}") else { return Path(parsed) }
        let candidates = raw.filter { String(decoding: $0.bytes, as: UTF8.self) == parsed }
        guard !candidates.isEmpty else { return Path(parsed) }
        var distinct: [Path] = []
        for c in candidates where !distinct.contains(c) { distinct.append(c) }
        if distinct.count == 1 { return distinct[0] }
        let used = handedOut[parsed, default: 0]
        handedOut[parsed] = used + 1
        return candidates[min(used, candidates.count - 1)]
    }

    /// Every argument after the program name, and the value part of each `--name=value`.
    private static let raw: [Path] = {
        var out: [Path] = []
        for i in 1..<Int(CommandLine.argc) {
            guard let p = CommandLine.unsafeArgv[i] else { continue }
            let argument = Path(cString: p)
            out.append(argument)
            if argument.hasPrefix("--"), let eq = argument.bytes.firstIndex(of: UInt8(ascii: "=")) {
                out.append(Path(bytes: argument.bytes[(eq + 1)...]))
            }
        }
        return out
    }()

    nonisolated(unsafe) private static var handedOut: [String: Int] = [:]
}

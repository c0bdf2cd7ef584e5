import MklnkFileSystem
import Synchronization

/// The environment variables a command sees. A plan's load reads them only by name, through
/// the subscript: with a recorder attached, every name looked up and what it gave (a value, or
/// none) is noted, so that the plan cache keys a compiled plan on exactly what the load read.
public struct Environment: Sendable, ExpressibleByDictionaryLiteral {
    public var values: [String: String]
    /// The variables whose value is not valid UTF-8, as bytes (their `values` entry is a lossy
    /// decoding): `$HOME` and `$XDG_STATE_HOME` are used exactly, a plan's `${NAME}` refuses them.
    public var notUTF8: [String: Path] = [:]
    /// Notes lookups while a plan loads for the cache (nil: nothing is noted).
    var recorder: EnvironmentRecorder?

    public init(_ values: [String: String]) { self.values = values }

    public init(dictionaryLiteral elements: (String, String)...) {
        values = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    public subscript(name: String) -> String? {
        get {
            let value = values[name]
            recorder?.note(name, value)
            return value
        }
        set { values[name] = newValue }
    }
}

/// The names a load looked up and their answers. The load may look some up on the read-ahead's
/// worker (`PathSpeculation`), hence the lock.
final class EnvironmentRecorder: Sendable {
    private let consulted = Mutex<[String: String?]>([:])
    private let disk = Mutex(false)

    /// The load resolved a path through the disk (a `..` after a symlink in `root:` or `base:`):
    /// what it made depends on more than the file and these names, so it is not kept.
    func noteDiskRead() { disk.withLock { $0 = true } }

    var readDisk: Bool { disk.withLock { $0 } }

    func note(_ name: String, _ value: String?) {
        consulted.withLock { $0[name] = value }
    }

    /// By name, in byte order.
    var lookups: [(name: String, value: String?)] {
        consulted.withLock { $0 }.map { ($0.key, $0.value) }.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
    }
}

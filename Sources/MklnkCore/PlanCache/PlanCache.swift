#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMklnkSys
import MklnkFileSystem

/// Compiled plans kept in the state directory (`cache/<hash of the plan's path>.plan`), so that
/// a run whose plan has not changed skips reading the YAML.
///
/// A cached plan is used only when everything its load read is the same, compared exactly:
/// the plan's bytes (stored whole in the file), the mklnk binary (its build ID), the
/// plan's name, the working directory, every `LoadOptions` field (`--var`s, `--root`, limits,
/// host facts) and each environment variable the load looked up, with its value or its absence
/// (`Environment`'s recorder sees every lookup). Only loads without any diagnostic are stored.
/// The file is checksummed as a whole and read with every length checked: anything that is not
/// exactly what `store` writes is a miss. Only `apply` stores (under the state directory's lock,
/// atomically: a temporary file renamed over); storing never fails a command.
public final class PlanCache {
    public let directory: Path
    public let writable: Bool
    /// The file this run wrote, if any.
    public private(set) var written: Path?

    static let magic = Array("MKLNKPC1".utf8)

    public init(stateDirectory: Path, writable: Bool) {
        directory = stateDirectory + "/cache"
        self.writable = writable
    }

    func file(name: String, options: LoadOptions) -> Path {
        directory + "/\(fnv1a(Paths.absolute(PlanFileName.path(name), base: options.workingDirectory))).plan"
    }

    /// Stores `plan`, loaded from `input` with `options` having looked up `lookups`: written at
    /// once, to a new temporary file renamed over the old one, the plan encoded a part at a time
    /// (never held whole beside the plan), and its writeback started, so that an apply's sync of
    /// the filesystem finds little of it left to wait for. Failures are ignored: the next run
    /// loads the plan anew.
    /// The plan's bytes are copied from `input` again, and only if they are the ones the load read.
    func store(_ plan: Plan, name: String, input: PlanInput, options: LoadOptions, lookups: [(name: String, value: String?)]) {
        guard writable, let key = Self.key(name: name, options: options), let length = input.passedLength else { return }
        var head = ByteWriter()
        head.raw(key)
        head.number(UInt64(lookups.count))
        for l in lookups {
            head.string(l.name)
            head.flag(l.value != nil)
            head.string(l.value ?? "")
        }
        head.rawLength(length)
        let target = file(name: name, options: options)
        let temporary = target + ".tmp-\(getpid())"
        guard (try? LocalFileSystem(root: "/").createDirectories(directory)) != nil else { return }
        // A new file: never one that a name left over from a crash of an earlier run links to.
        let fd = temporary.withCString { t in
            unlink(t)
            return open(t, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        }
        guard fd >= 0 else { return }
        var failed = false
        var sum = Checksum()
        func put(_ b: UnsafeBufferPointer<UInt8>, summed: Bool = true) {
            if summed { sum.add(b) }
            var done = 0
            while !failed && done < b.count {
                let n = write(fd, b.baseAddress! + done, b.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { failed = true } else { done += n }
            }
        }
        Self.magic.withUnsafeBufferPointer { put($0, summed: false) }
        head.bytes.withUnsafeBufferPointer { put($0) }
        if !input.copy({ put($0) }) { failed = true }
        var encoded = ByteWriter()
        PlanCodec.encode(plan, into: &encoded) { part in
            part.withUnsafeBufferPointer { put($0) }
            part.removeAll(keepingCapacity: true)
        }
        encoded.bytes.withUnsafeBufferPointer { put($0) }
        withUnsafeBytes(of: sum.value.littleEndian) { put($0.bindMemory(to: UInt8.self), summed: false) }
        mklnk_start_writeback(fd)
        if close(fd) != 0 { failed = true }
        if failed || temporary.withCString({ t in target.withCString { rename(t, $0) } }) != 0 {
            _ = temporary.withCString { unlink($0) }
            return
        }
        written = target
    }

    /// Removes the file this run stored, and the cache directory if that leaves it empty.
    public func discard() {
        guard let written else { return }
        _ = written.withCString { unlink($0) }
        _ = directory.withCString { rmdir($0) }
        self.written = nil
    }

    /// Everything but the environment that a load reads besides the plan's bytes; nil when the
    /// binary has no build ID (then nothing is cached).
    static func key(name: String, options: LoadOptions, binary: [UInt8]? = BuildID.current) -> [UInt8]? {
        guard let binary else { return nil }
        var w = ByteWriter()
        w.string("mklnk plan cache 1")
        w.raw(binary)
        w.string(name)
        w.path(options.workingDirectory)
        w.raw(options.planDirectory?.bytes ?? [])
        w.flag(options.root != nil)
        w.raw(options.root?.bytes ?? [])
        w.number(UInt64(options.variables.count))
        for (n, v) in options.variables.sorted(by: { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }) {
            w.string(n)
            w.string(v)
        }
        let limits = options.limits
        for n in [limits.maxInputBytes, limits.maxDepth, limits.maxAliasNodes] { w.number(UInt64(bitPattern: Int64(n))) }
        let facts = options.facts
        for s in [facts.os, facts.arch, facts.hostname, facts.user, facts.home] { w.string(s) }
        return w.bytes
    }
}

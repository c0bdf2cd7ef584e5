#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// Reads and writes per-plan state files in the state directory.
public struct StateStore {
    public let fileSystem: FileSystem
    public let directory: Path

    public init(fileSystem: FileSystem, directory: Path) {
        self.fileSystem = fileSystem
        self.directory = directory
    }

    /// One file per (plan file, root): the same plan applied to two roots keeps two records.
    public func path(plan: Path, root: Path) -> Path {
        directory + "/plans/\(fnv1a(plan + "\n" + root)).state"
    }

    /// The state's header now, the rest when it is first needed (if the file went in between,
    /// as if nothing had been recorded).
    public func load(plan: Path, root: Path) throws(FileSystemError) -> AppliedState {
        let file = path(plan: plan, root: root)
        let limit = 4096
        guard let header = try fileSystem.readFile(file, upTo: limit) else { return AppliedState() }
        // A file that is not a state (damaged, truncated to nothing, replaced) is an error, never
        // read as "nothing recorded": pruning and destroy would quietly forget every link.
        guard Self.isStateHeader(header) else { throw FileSystemError(errno: EBADMSG, Self.damaged, file) }
        if header.count < limit { return AppliedState(encoded: header) }
        let fileSystem = self.fileSystem
        return AppliedState(header: header) { (try? fileSystem.readFile(file)) ?? [] }
    }

    /// The operation of the error `load` throws for a file that is not a state.
    public static let damaged = "read the state file (it is damaged: no mklnk state header)"

    /// What a failed `load` means, for messages that name the state directory themselves.
    public static func reason(_ error: FileSystemError) -> String {
        error.operation == damaged ? "\(error.path) is damaged (it has no mklnk state header)" : error.reason
    }

    /// Whether `bytes` begin with the header `AppliedState.encode` writes.
    static func isStateHeader(_ bytes: [UInt8]) -> Bool {
        guard let r = Record.parse(bytes.prefix { $0 != 10 }).first else { return false }
        return r.count == 3 && r[0] == "#" && r[1] == "mklnk state 1" && UInt64(r[2], radix: 16) != nil
    }

    /// Renames a damaged state file at `file` to `FILE.damaged-<stamp>` before a new state takes
    /// its place, so that its records can still be read by hand; returns that name.
    func setAsideIfDamaged(_ file: Path) -> Path? {
        guard let header = try? fileSystem.readFile(file, upTo: 4096), !Self.isStateHeader(header) else { return nil }
        let aside = file + ".damaged-\(Transaction.timestamp())"
        return (try? fileSystem.unconfined().rename(file, to: aside, mode: .noReplace)) != nil ? aside : nil
    }

    public func save(_ state: AppliedState, plan: Path, root: Path) throws(FileSystemError) {
        try save(state, to: path(plan: plan, root: root))
    }

    /// Writes `state` to `file` (the next state is staged before the commit), durably unless
    /// `sync` is false: then a `syncfs` that follows makes it so.
    public func save(_ state: AppliedState, to file: Path, sync: Bool = true) throws(FileSystemError) {
        try fileSystem.createDirectories(Paths.parent(file))
        try fileSystem.writeFileAtomically(file, sync: sync) { (write) throws(FileSystemError) in try state.encode(to: write) }
    }
}
